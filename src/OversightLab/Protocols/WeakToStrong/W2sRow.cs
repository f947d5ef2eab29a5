using CsvHelper;
using OversightLab.Experiments;

namespace OversightLab.Protocols.WeakToStrong;

/// <summary>One weak-to-strong cell's results: a row of <c>w2s.csv</c>. Accuracies are on the shared test set.</summary>
[CsvRecord]
public sealed partial class W2sRow : IResultRow
{
    [CsvColumn("task")] public string Task { get; set; } = "";
    [CsvColumn("weak_model")] public string WeakModel { get; set; } = "";
    [CsvColumn("strong_model")] public string StrongModel { get; set; } = "";
    [CsvColumn("method")] public string Method { get; set; } = "";
    /// <summary>How pretrained models were fitted: <c>probe</c> or <c>finetune</c>.</summary>
    [CsvColumn("adapt")] public string Adapt { get; set; } = "probe";
    [CsvColumn("seed")] public int Seed { get; set; }
    [CsvColumn("weak_acc")] public double? WeakAcc { get; set; }
    [CsvColumn("student_acc")] public double? StudentAcc { get; set; }
    [CsvColumn("ceiling_acc")] public double? CeilingAcc { get; set; }
    /// <summary>Empty when undefined (ceiling − weak below <see cref="Metrics.Pgr.DefaultMinGap"/>): see <see cref="Note"/>.</summary>
    [CsvColumn("pgr")] public double? Pgr { get; set; }
    /// <summary>95% percentile-bootstrap interval of PGR over test examples (paired resampling).</summary>
    [CsvColumn("pgr_ci_low")] public double? PgrCiLow { get; set; }
    [CsvColumn("pgr_ci_high")] public double? PgrCiHigh { get; set; }
    /// <summary>95% Wilson intervals of the three accuracies.</summary>
    [CsvColumn("weak_acc_ci_low")] public double? WeakAccCiLow { get; set; }
    [CsvColumn("weak_acc_ci_high")] public double? WeakAccCiHigh { get; set; }
    [CsvColumn("student_acc_ci_low")] public double? StudentAccCiLow { get; set; }
    [CsvColumn("student_acc_ci_high")] public double? StudentAccCiHigh { get; set; }
    [CsvColumn("ceiling_acc_ci_low")] public double? CeilingAccCiLow { get; set; }
    [CsvColumn("ceiling_acc_ci_high")] public double? CeilingAccCiHigh { get; set; }
    /// <summary>Fraction of test examples where the student predicts what the weak supervisor predicts.</summary>
    [CsvColumn("student_weak_agreement")] public double? StudentWeakAgreement { get; set; }
    /// <summary>Mean over test examples of ‖f_student − f_weak‖² (predicted distributions, or scores for sqloss).</summary>
    [CsvColumn("misfit")] public double? Misfit { get; set; }
    /// <summary>Mean ‖f_weak − f*‖² − mean ‖f_student − f*‖², f* the strong model's own fit to the truth (the ceiling; for sqloss its exact least-squares fit).</summary>
    [CsvColumn("gain")] public double? Gain { get; set; }
    [CsvColumn("weak_params")] public long WeakParams { get; set; }
    [CsvColumn("strong_params")] public long StrongParams { get; set; }
    [CsvColumn("strong_rank")] public int StrongRank { get; set; }
    [CsvColumn("weak_rank")] public int WeakRank { get; set; }
    [CsvColumn("n_train_half")] public int NTrainHalf { get; set; }
    [CsvColumn("n_test")] public int NTest { get; set; }
    /// <summary><c>ok</c> or <c>failed</c>; a failed cell is retried by the next run.</summary>
    [CsvColumn("status")] public string Status { get; set; } = "ok";
    [CsvColumn("note")] public string Note { get; set; } = "";
    [CsvColumn("cell_id")] public string CellId { get; set; } = "";
}
