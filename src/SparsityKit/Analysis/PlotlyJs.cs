using System.Reflection;

namespace SparsityKit.Analysis;

/// <summary>
/// The plotly.js library embedded in this assembly (npm plotly.js-dist-min, MIT licence), so charts draw with no
/// network. The build fetches and checks it (see PlotlyJs.targets).
/// </summary>
public static class PlotlyJs
{
    /// <summary>The embedded plotly.js version.</summary>
    public const string Version = "2.35.3";

    private const string ResourceName = "SparsityKit.plotly.min.js";

    private static readonly Lazy<string> Source = new(Load);

    /// <summary>A <c>&lt;script&gt;</c> element that defines <c>window.Plotly</c>; about 4.5 MB.</summary>
    /// <remarks>
    /// The library is wrapped in a function whose <c>define</c>, <c>module</c> and <c>exports</c> are undefined:
    /// pages with RequireJS (classic Jupyter, nbconvert's templates) would otherwise take plotly.js as an anonymous
    /// AMD module and never set <c>window.Plotly</c>.
    /// </remarks>
    public static string ScriptElement =>
        $"<script type=\"text/javascript\">/* plotly.js {Version} (MIT), embedded by SparsityKit */\n" +
        "(function (define, module, exports) {\n" + Source.Value + "\n}).call(window);\n</script>";

    private static string Load()
    {
        using var stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"The plotly.js resource '{ResourceName}' is missing from {typeof(PlotlyJs).Assembly.Location}: the build embeds it " +
                "from the npm package plotly.js-dist-min. Rebuild SparsityKit with npm available.");
        using var reader = new StreamReader(stream);
        // A literal "</script" would end the inline element early; escaped it means the same inside JavaScript.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
