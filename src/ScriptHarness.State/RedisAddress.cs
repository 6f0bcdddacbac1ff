namespace ScriptHarness.State;

/// <summary>Reads the Redis address forms the CLI and configuration accept: <c>redis://host:port</c> or a StackExchange.Redis configuration string.</summary>
public static class RedisAddress
{
    /// <summary>The StackExchange.Redis configuration string for <paramref name="value"/>, or null when it is not a Redis address.</summary>
    public static string? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || uri.Port <= 0
                || uri.AbsolutePath is not ("" or "/") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                return null;
            }

            var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
            return $"{host}:{uri.Port}";
        }

        // A configuration string: its first part is an endpoint, host or host:port.
        var endpoint = value.Split(',')[0].Trim();
        if (endpoint.Length == 0 || endpoint.Contains("://", StringComparison.Ordinal) || endpoint.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        var colon = endpoint.LastIndexOf(':');
        if (colon >= 0 && !endpoint.EndsWith(']') && (!int.TryParse(endpoint.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535))
        {
            return null;
        }

        return value;
    }
}
