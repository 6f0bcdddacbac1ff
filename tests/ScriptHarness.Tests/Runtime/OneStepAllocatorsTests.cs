using ScriptHarness.Runtime;

namespace ScriptHarness.Tests.Runtime;

public sealed class OneStepAllocatorsTests
{
    [Fact]
    public void All_ListsEachBuiltInOnceWithAPositiveUnitCost()
    {
        var all = OneStepAllocators.All;
        Assert.Equal(all.Count, all.Select(a => a.Target).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, a => Assert.True(a.BytesPerUnit > 0, a.Target));
        Assert.All(all, a => Assert.Equal(a.Target, a.Owner.Length == 0 ? a.Name : a.Owner + "." + a.Name));
    }

    [Theory]
    [InlineData("String.prototype.repeat", "String.prototype", "repeat")]
    [InlineData("Intl.Segmenter.prototype.segment", "Intl.Segmenter.prototype", "segment")]
    [InlineData("Uint8Array", "", "Uint8Array")]
    public void Target_SplitsIntoOwnerAndName(string target, string owner, string name)
    {
        var allocator = OneStepAllocators.Find(target);
        Assert.NotNull(allocator);
        Assert.Equal(owner, allocator.Owner);
        Assert.Equal(name, allocator.Name);
    }

    [Fact]
    public void All_CoversTheAllocatorsTheIssuesName()
    {
        // Issues 9.9 and 10: repeat, padStart/padEnd, join, split, fill, Array.from, JSON, Intl, typed arrays.
        string[] named =
        [
            "String.prototype.repeat", "String.prototype.padStart", "String.prototype.padEnd", "Array.prototype.join",
            "String.prototype.split", "Array.prototype.fill", "Array.from", "JSON.stringify", "JSON.parse",
            "Intl.Segmenter.prototype.segment", "Float64Array", "ArrayBuffer", "ArrayBuffer.prototype.resize",
        ];
        Assert.All(named, n => Assert.NotNull(OneStepAllocators.Find(n)));
        Assert.Null(OneStepAllocators.Find("String.prototype.charAt"));
    }

    [Theory]
    [InlineData(OneStepMeasure.Repeat, 3, 4, 0, 0, 12)]
    [InlineData(OneStepMeasure.PadTarget, 5, 100, 0, 0, 100)]
    [InlineData(OneStepMeasure.PadTarget, 100, 5, 0, 0, 0)]
    [InlineData(OneStepMeasure.SplitPieces, 10, 0, 4294967295, 0, 10)]
    [InlineData(OneStepMeasure.SplitPieces, 10, 2, 4294967295, 0, 6)]
    [InlineData(OneStepMeasure.SplitPieces, 10, 0, 3, 0, 3)]
    [InlineData(OneStepMeasure.SplitPieces, 10, -1, 4294967295, 0, 1)]
    [InlineData(OneStepMeasure.Replacement, 10, 10, 3, 0, 40)]
    [InlineData(OneStepMeasure.Replacement, 10, 10, 2, 1, 130)]
    [InlineData(OneStepMeasure.Replacement, 10, 1, 4, 2, 34)]
    [InlineData(OneStepMeasure.Join, 4, 2, 10, 0, 16)]
    [InlineData(OneStepMeasure.Join, 0, 2, 0, 0, 0)]
    [InlineData(OneStepMeasure.FillRange, 2, 10, 0, 0, 8)]
    [InlineData(OneStepMeasure.FillRange, 10, 2, 0, 0, 0)]
    [InlineData(OneStepMeasure.JsonValues, 100, 2, 0, 0, 164)]
    [InlineData(OneStepMeasure.BufferBytes, 1024, 0, 0, 0, 1024)]
    public void Units_FollowTheDocumentedArithmetic(OneStepMeasure measure, double a, double b, double c, double d, double expected) =>
        Assert.Equal(expected, OneStepAllocators.Units(measure, a, b, c, d));

    [Fact]
    public void Units_AreNeverNegativeOrNaN()
    {
        Assert.Equal(0, OneStepAllocators.Units(OneStepMeasure.Repeat, double.NaN, 3));
        Assert.Equal(0, OneStepAllocators.Units(OneStepMeasure.FillRange, 5, -5));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneStepAllocators.Units((OneStepMeasure)999, 1));
    }

    [Fact]
    public void Fits_ComparesTheEstimatedBytesWithTheBudget()
    {
        var repeat = OneStepAllocators.Find("String.prototype.repeat")!;
        Assert.True(OneStepAllocators.Fits(repeat, 8, 16));
        Assert.False(OneStepAllocators.Fits(repeat, 9, 16));
        Assert.False(OneStepAllocators.Fits(repeat, double.PositiveInfinity, long.MaxValue));
    }

    [Fact]
    public void Refusal_NamesTheBuiltInTheSizeAndTheLimit()
    {
        var repeat = OneStepAllocators.Find("String.prototype.repeat")!;
        var message = OneStepAllocators.Refusal(repeat, Math.Pow(2, 29), 16L * 1024 * 1024);
        Assert.Equal("String.prototype.repeat would allocate about 1024 MB at once, more than the script has left of its memory limit of 16 MB", message);
        Assert.Contains("more than the address space", OneStepAllocators.Refusal(repeat, double.PositiveInfinity, 1024 * 1024), StringComparison.Ordinal);
    }

    [Fact]
    public void PadTarget_CountsNothing_WhenTheTargetIsNoLongerThanTheString()
    {
        Assert.Equal(0, OneStepAllocators.Units(OneStepMeasure.PadTarget, 5, 5));
        Assert.Equal(0, OneStepAllocators.Units(OneStepMeasure.PadTarget, 5, 4));
        Assert.Equal(6, OneStepAllocators.Units(OneStepMeasure.PadTarget, 5, 6));
    }

    [Fact]
    public void AMeasureThatIsNone_IsAProgrammingError_SaidAsSuch()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OneStepAllocators.Units((OneStepMeasure)(-1), 1));
        Assert.Equal("measure", error.ParamName);
        Assert.StartsWith("not a one-step measure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitsAndRefusal_RefuseNullArguments()
    {
        Assert.Throws<ArgumentNullException>(() => OneStepAllocators.Fits(null!, 1, 1));
        Assert.Throws<ArgumentNullException>(() => OneStepAllocators.Refusal((OneStepAllocator)null!, 1, 1));
        Assert.Throws<ArgumentNullException>(() => OneStepAllocators.Refusal((string)null!, 1, 1));
    }

    [Fact]
    public void Refusal_OfTheWholeAddressSpace_SaysSo_FromItsFirstByte()
    {
        // long.MaxValue as a double is 2^63: it cannot be cast back to a long, so it is said in words.
        Assert.Equal(
            "the return value would allocate more than the address space at once, more than the script has left of its memory limit of 1 KB",
            OneStepAllocators.Refusal("the return value", long.MaxValue, 1024));
        Assert.Contains("about ", OneStepAllocators.Refusal("the return value", 1L << 62, 1024), StringComparison.Ordinal);
    }
}
