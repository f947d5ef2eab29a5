namespace OversightLab.Metrics;

/// <summary>
/// Scaling laws for scalable oversight (Engels et al. 2025, "Scaling Laws For Scalable Oversight",
/// code: oversight-scaling-laws). A game has a guard (the overseer) and a Houdini (the model that
/// tries to escape oversight). Each role's domain Elo is a function of general Elo — linear, or
/// clipped linear ("double ReLU"). Nested scalable oversight (NSO) climbs from a guard at general
/// Elo g₀ to a Houdini at g₀ + Δ in n steps evenly spaced in general Elo; at each step the guard at
/// gᵢ oversees the Houdini at gᵢ₊₁, and the chain succeeds only if every guard wins:
/// P(success) = Πᵢ P(guard(gᵢ) beats houdini(gᵢ₊₁)), with P from the Elo law
/// P(guard wins) = 1 / (1 + 10^((E_houdini − E_guard)/400)). The best n is searched in 1–20.
/// </summary>
public static class OversightScaling
{
    /// <summary>The paper code's starting general Elo.</summary>
    public const double PaperStartElo = 1103;
    public const int PaperMaxSteps = 20;

    /// <summary>Domain Elo as a function of general Elo, one per role.</summary>
    public interface IDomainElo
    {
        double At(double generalElo);
    }

    /// <summary>Domain Elo = slope · general Elo + intercept.</summary>
    public sealed record Linear(double Slope, double Intercept) : IDomainElo
    {
        public double At(double generalElo) => Slope * generalElo + Intercept;
    }

    /// <summary>
    /// Clipped linear ("double ReLU"): flat at <see cref="Low"/> below general Elo
    /// <see cref="From"/>, flat at <see cref="High"/> above <see cref="To"/>, linear in between.
    /// </summary>
    public sealed record DoubleRelu(double From, double To, double Low, double High) : IDomainElo
    {
        public double At(double generalElo) =>
            To <= From ? (generalElo < From ? Low : High)
            : Low + (High - Low) * Math.Clamp((generalElo - From) / (To - From), 0, 1);
    }

    /// <summary>A game's two fitted roles.</summary>
    public sealed record Game(string Name, IDomainElo Guard, IDomainElo Houdini);

    /// <summary>
    /// The linear fits of the paper's code (Debate, Mafia, Backdoor Code, Wargames), unrounded as
    /// in its theory-predictions notebook. At Δ = 400 they give Debate 0.5136 (n* = 1), Mafia 0.1106
    /// (n* = 1), Backdoor Code 0.2757 (n* = 2), Wargames 0.0980 (n* = 1).
    /// </summary>
    public static IReadOnlyList<Game> PaperGames { get; } =
    [
        new("Debate", new Linear(1.0983942546126946, -47.49890598669299), new Linear(0.04936115584058696, 1080.3983558810423)),
        new("Mafia", new Linear(1.5305382247861692, -622.9317463747565), new Linear(0.8344154600833648, 173.2206142928111)),
        new("Backdoor Code", new Linear(0.7192614624976502, 552.0221384375485), new Linear(1.9518243250891987, -1361.61176329289)),
        new("Wargames", new Linear(1.1666737577004682, -229.07366870912878), new Linear(0.6795738441484533, 422.0053838057133)),
    ];

    /// <summary>The same fits rounded as the paper prints them (Debate at Δ = 400 then gives 0.5137).</summary>
    public static IReadOnlyList<Game> PaperGamesRounded { get; } =
    [
        new("Debate", new Linear(1.098, -47.5), new Linear(0.049, 1080.4)),
        new("Mafia", new Linear(1.531, -622.9), new Linear(0.834, 173.2)),
        new("Backdoor Code", new Linear(0.719, 552.0), new Linear(1.952, -1361.6)),
        new("Wargames", new Linear(1.167, -229.1), new Linear(0.680, 422.0)),
    ];

    /// <summary>P(guard wins) = 1 / (1 + 10^((houdini − guard)/400)).</summary>
    public static double GuardWins(double guardElo, double houdiniElo) => Elo.WinProbability(guardElo, houdiniElo);

    /// <summary>Success of NSO with <paramref name="steps"/> steps from general Elo <paramref name="start"/> to <paramref name="start"/> + <paramref name="gap"/>.</summary>
    public static double Success(Game game, double start, double gap, int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), "at least one step");
        double success = 1;
        for (int i = 0; i < steps; i++)
        {
            double guard = start + gap * i / steps, houdini = start + gap * (i + 1) / steps;
            success *= GuardWins(game.Guard.At(guard), game.Houdini.At(houdini));
        }
        return success;
    }

    /// <summary>The number of steps in 1–<paramref name="maxSteps"/> with the highest success (the smallest on ties), and that success.</summary>
    public static (int Steps, double Success) Optimal(Game game, double start, double gap, int maxSteps = PaperMaxSteps)
    {
        (int, double) best = (1, Success(game, start, gap, 1));
        for (int n = 2; n <= maxSteps; n++)
        {
            double p = Success(game, start, gap, n);
            if (p > best.Item2) best = (n, p);
        }
        return best;
    }

    /// <summary>Least-squares line through (general Elo, domain Elo) points.</summary>
    public static Linear FitLinear(IReadOnlyList<double> general, IReadOnlyList<double> domain)
    {
        if (general.Count != domain.Count || general.Count < 2) throw new ArgumentException("a line needs at least two (general, domain) points");
        var (intercept, slope) = MathNet.Numerics.Fit.Line(general.ToArray(), domain.ToArray());
        return new Linear(slope, intercept);
    }

    /// <summary>
    /// Least-squares clipped-linear fit: every pair of breakpoints at observed general Elos (and
    /// beyond the ends) is tried; the levels for a pair follow by linear least squares.
    /// </summary>
    public static DoubleRelu FitDoubleRelu(IReadOnlyList<double> general, IReadOnlyList<double> domain)
    {
        if (general.Count != domain.Count || general.Count < 2) throw new ArgumentException("a fit needs at least two (general, domain) points");
        var xs = general.Distinct().Order().ToList();
        double span = xs[^1] - xs[0] + 1;
        var knots = new List<double> { xs[0] - span };
        knots.AddRange(xs);
        knots.Add(xs[^1] + span);
        DoubleRelu? best = null;
        double bestError = double.PositiveInfinity;
        foreach (double from in knots)
            foreach (double to in knots.Where(t => t > from))
            {
                // domain ≈ Low·(1 − t) + High·t with t = clamp((g − from)/(to − from), 0, 1): linear in (Low, High).
                double saa = 0, sab = 0, sbb = 0, say = 0, sby = 0;
                for (int i = 0; i < general.Count; i++)
                {
                    double t = Math.Clamp((general[i] - from) / (to - from), 0, 1), a = 1 - t, b = t;
                    saa += a * a; sab += a * b; sbb += b * b; say += a * domain[i]; sby += b * domain[i];
                }
                double det = saa * sbb - sab * sab;
                if (Math.Abs(det) < 1e-12) continue;
                double low = (say * sbb - sby * sab) / det, high = (sby * saa - say * sab) / det;
                var fit = new DoubleRelu(from, to, low, high);
                double error = Enumerable.Range(0, general.Count).Sum(i => Math.Pow(fit.At(general[i]) - domain[i], 2));
                if (error < bestError - 1e-9) { bestError = error; best = fit; }
            }
        return best ?? throw new ArgumentException("the points do not determine a fit");
    }
}
