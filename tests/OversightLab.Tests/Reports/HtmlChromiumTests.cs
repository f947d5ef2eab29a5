using System.Diagnostics;
using OversightLab.Tests.Notebooks;
using SkiaSharp;

namespace OversightLab.Tests.Reports;

/// <summary>
/// The quickstart's <c>report.html</c> opened as a person would: in a browser (Debian's headless
/// Chromium, which <c>.ci/run</c> installs), with a screenshot that must show the page — text,
/// tables, and the figures' coloured lines and heatmap. Skipped, saying so, only where Chromium
/// is not installed.
/// </summary>
public sealed class HtmlChromiumTests
{
    const int Width = 1200, Height = 1600;

    [Test]
    public void TheQuickstartReportRendersInChromium()
    {
        string chromium = FindChromium() ?? Ignore();
        var run = NotebookScratch.Quickstart();
        string html = File.ReadAllText(run.ReportHtml!);
        Assert.That(html, Does.Contain("<table").And.Contain("<th>weak \\ strong</th>").And.Contain("<svg"));

        string shot = Screenshot(chromium, run.ReportHtml!);
        TestContext.AddTestAttachment(shot, "report.html as Chromium draws it");
        var (ink, colour) = Count(shot);
        using (Assert.EnterMultipleScope())
        {
            // Measured: ~9% of the viewport is ink and ~70k pixels are coloured (the plot's lines,
            // the heatmap). A blank page has neither; a page whose SVGs failed has text only (the
            // links and code backgrounds give a few hundred coloured pixels).
            Assert.That(ink, Is.GreaterThan(0.03 * Width * Height), "non-white pixels: the page is not blank");
            Assert.That(colour, Is.GreaterThan(10_000), "saturated pixels: the figures are drawn");
        }
    }

    [Test]
    public void ABlankPageFailsTheSameCheck()
    {
        // The screenshot check must be able to fail: an empty page yields no ink.
        string chromium = FindChromium() ?? Ignore();
        string page = Path.Combine(TestPaths.Scratch("blank"), "blank.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body></body></html>");
        var (ink, colour) = Count(Screenshot(chromium, page));
        Assert.That((ink, colour), Is.EqualTo((0, 0)));
    }

    static string Ignore()
    {
        Assert.Ignore("chromium is not installed, so report.html was not opened in a browser; .ci/run installs it (apt-get install -y chromium)");
        return "";
    }

    static string? FindChromium() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    static string Screenshot(string chromium, string page)
    {
        string dir = TestPaths.Scratch("chromium");
        string shot = Path.Combine(dir, "screenshot.png");
        var info = new ProcessStartInfo(chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={Path.Combine(dir, "profile")}",
            $"--screenshot={shot}", $"--window-size={Width},{Height}", new Uri(page).AbsoluteUri,
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        // A guard against a hung browser, not a timing assertion.
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 3 minutes");
        }
        Assert.That(File.Exists(shot), Is.True, $"chromium wrote no screenshot (exit {process.ExitCode}):\n{stderr.Result}");
        return shot;
    }

    /// <summary>Pixels that are not white, and pixels with a clear hue (max − min channel above 60).</summary>
    static (int Ink, int Colour) Count(string png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException($"{png} is not a PNG");
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((Width, Height)));
        int ink = 0, colour = 0;
        foreach (var p in bitmap.Pixels)
        {
            if (p.Red < 245 || p.Green < 245 || p.Blue < 245) ink++;
            if (Math.Max(p.Red, Math.Max(p.Green, p.Blue)) - Math.Min(p.Red, Math.Min(p.Green, p.Blue)) > 60) colour++;
        }
        return (ink, colour);
    }
}
