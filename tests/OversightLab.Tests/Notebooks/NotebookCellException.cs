namespace OversightLab.Tests.Notebooks;

/// <summary>A notebook cell that did not run: the message starts with the notebook and the cell index.</summary>
sealed class NotebookCellException(string where, string problem, Exception? inner = null) : Exception($"{where}: {problem}", inner);
