using ScottPlot;

namespace OversightLab.Reports;

/// <summary>
/// One look for every figure: the shipped DejaVu Sans font (ScottPlot draws no text without a
/// font on disk), titles, labelled axes, and PNG (slides) plus SVG (papers) side by side.
/// </summary>
public static class FigureStyle
{
    public const string FontName = "DejaVu Sans";
    public const int Width = 960, Height = 620;
    static readonly Lock Gate = new();
    static bool registered;

    public static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#17becf"),
    ];

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        RegisterFont();
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// Writes <c>name.png</c> and <c>name.svg</c> in <paramref name="folder"/>, atomically.
    /// SkiaSharp's SVG canvas cannot draw dashes (it prints "Unsupported path effect" and draws
    /// them solid), so the SVG draws every line solid on purpose; figures tell series apart by
    /// marker shape as well as by dash.
    /// </summary>
    public static void Save(Plot plot, string folder, string name, int width = Width, int height = Height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(Path.Combine(folder, name + ".png"), s => s.Write(png));
        foreach (var plottable in plot.GetPlottables())
        {
            if (plottable is ScottPlot.Plottables.Scatter scatter) scatter.LinePattern = LinePattern.Solid;
            if (plottable is ScottPlot.Plottables.HorizontalLine line) line.LinePattern = LinePattern.Solid;
        }
        AtomicFile.WriteText(Path.Combine(folder, name + ".svg"), plot.GetSvgXml(width, height));
    }

    /// <summary>A marker shape per series name, stable across figures.</summary>
    public static MarkerShape Marker(int index) => Markers[index % Markers.Length];

    static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond,
    ];

    static void RegisterFont()
    {
        lock (Gate)
        {
            if (registered) return;
            // Beside the program (an app copies Assets/ to its output), else beside this assembly
            // (a notebook loads it from the NuGet cache or a build folder, and its base directory
            // is the kernel's).
            string dir = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(FigureStyle).Assembly.Location) ?? "" }
                .Select(d => Path.Combine(d, "Assets")).FirstOrDefault(d => File.Exists(Path.Combine(d, "DejaVuSans.ttf")))
                ?? Path.Combine(AppContext.BaseDirectory, "Assets");
            Fonts.AddFontFile(FontName, Path.Combine(dir, "DejaVuSans.ttf"), bold: false, italic: false);
            Fonts.AddFontFile(FontName, Path.Combine(dir, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
            Fonts.Default = FontName;
            registered = true;
        }
    }
}
