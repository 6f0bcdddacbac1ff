using ScriptHarness.Serialization;

namespace ScriptHarness.Tests.Serialization;

internal static class AsyncItems
{
    public static async IAsyncEnumerable<ResponseItem> Of(params ResponseItem[] items)
    {
        foreach (ResponseItem item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    public static async Task<List<ResponseItem>> ToListAsync(IAsyncEnumerable<ResponseItem> items)
    {
        var list = new List<ResponseItem>();
        await foreach (ResponseItem item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
