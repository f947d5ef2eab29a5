using System.Globalization;

namespace OversightLab.Experiments;

/// <summary>
/// A ready <c>sbatch</c> job-array script for a definition: task i of N runs <c>--shard i/N</c>
/// (read from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT), and a dependent job merges the
/// shards when all have succeeded. No home-made scheduler: Slurm does the scheduling.
/// </summary>
public static class SlurmScript
{
    public static string Write(ExperimentDefinition definition, int shards, string outDir, string cliDll, string repository,
        string time = "02:00:00", int cpus = 2, string memory = "8G")
    {
        string file = Path.GetFullPath(definition.SourceFile), output = Path.GetFullPath(outDir);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            #!/bin/bash
            # {{definition.Name}}: {{definition.Protocol.CountCells(definition)}} cells in {{shards}} shards.
            # Submit:  sbatch {{Path.Combine(output, definition.Name + ".sbatch")}}
            # Each array task runs one shard into {{output}}/shards/i-of-{{shards}}/ (resuming if re-run);
            # the merge job starts when every task has succeeded.
            #SBATCH --job-name=oversightlab-{{definition.Name}}
            #SBATCH --array=0-{{shards - 1}}
            #SBATCH --cpus-per-task={{cpus}}
            #SBATCH --mem={{memory}}
            #SBATCH --time={{time}}
            #SBATCH --output={{output}}/slurm/%A_%a.log
            set -euo pipefail
            cd {{repository}}
            if [ "${SLURM_ARRAY_TASK_ID}" = "0" ]; then
              sbatch --dependency=afterok:${SLURM_ARRAY_JOB_ID} --job-name=oversightlab-{{definition.Name}}-merge \
                --output={{output}}/slurm/merge_%j.log --wrap "cd {{repository}} && dotnet {{cliDll}} merge {{output}}"
            fi
            dotnet {{cliDll}} run {{file}} --out {{output}} --threads "${SLURM_CPUS_PER_TASK}"
            """) + "\n";
    }
}
