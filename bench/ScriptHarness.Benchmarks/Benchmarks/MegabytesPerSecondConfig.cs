using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ScriptHarness.Benchmarks.Workloads;

namespace ScriptHarness.Benchmarks.Benchmarks;

/// <summary>Adds an MB/s column (10^6 bytes of the 10 MB detector reply per second, from the mean).</summary>
public sealed class MegabytesPerSecondConfig : ManualConfig
{
    public MegabytesPerSecondConfig() => AddColumn(new MegabytesPerSecondColumn());

    private sealed class MegabytesPerSecondColumn : IColumn
    {
        public string Id => "MBps";

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Reply megabytes (10^6 bytes) scanned per second, from the mean";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (DetectorReply.TenMegabytes / mean.Value * 1000).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
