using System.Globalization;
using System.Net;

namespace SparsityKit.Interactive;

/// <summary>Small helpers shared by the HTML views: escaping and invariant number formats.</summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction, int decimals = 2) =>
        double.IsFinite(fraction) ? (fraction * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%" : "–";

    public static string Number(double value, int decimals = 4) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, CultureInfo.InvariantCulture) : "–";

    public static string Number(double? value, int decimals = 4) => value is { } v ? Number(v, decimals) : "";

    public static string PercentOrBlank(double? fraction) => fraction is { } f ? Percent(f) : "";

    /// <summary>m:ss below an hour, h:mm:ss above.</summary>
    public static string Duration(TimeSpan time) =>
        time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
