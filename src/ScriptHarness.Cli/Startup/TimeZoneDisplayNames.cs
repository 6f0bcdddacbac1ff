using System.Runtime.CompilerServices;

namespace ScriptHarness.Startup;

/// <summary>
/// Spares a fresh process the localized display names of every system time zone. Jint 4.x's Temporal support lists
/// the system time zones as soon as its first options object exists, and .NET sorts that list by display name, which on
/// Linux asks ICU for ~420 localized names: measured at 300-500 ms, the largest single cost of a cold start. Filling each
/// zone's display name with its IANA id first leaves the sort nothing to ask ICU for (~10 ms).
/// </summary>
/// <remarks>
/// Only for our own programs (the CLI and the worker), never the library: it is process-wide. What a script sees does
/// not change: Jint reads zone ids, offsets and ICU's standard and daylight names, not <see cref="TimeZoneInfo.DisplayName"/>
/// (the Intl, Date and Temporal conformance scenarios pass unchanged), and the local zone keeps its own name. Invariant
/// globalization would save the same time but breaks Intl (LANG-028, LANG-033).
/// </remarks>
internal static class TimeZoneDisplayNames
{
    /// <summary>Gives every system zone that has no display name yet its id as the name.</summary>
    public static void UseIdentifiers()
    {
        try
        {
            foreach (var zone in TimeZoneInfo.GetSystemTimeZones(skipSorting: true))
            {
                DisplayName(zone) ??= zone.Id;
            }
        }
        catch (MissingFieldException)
        {
            // A runtime without the field: its names are computed as usual, only slower.
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_displayName")]
    private static extern ref string? DisplayName(TimeZoneInfo zone);
}
