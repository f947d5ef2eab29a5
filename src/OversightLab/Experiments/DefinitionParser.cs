using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OversightLab.Experiments;

/// <summary>
/// Reads an experiment definition (YAML) against <see cref="DefinitionSchema"/>. Every problem is
/// reported before any training as one <see cref="DefinitionException"/> naming the file, the
/// line and the field.
/// </summary>
public static class DefinitionParser
{
    public static ExperimentDefinition Load(string path)
    {
        if (Directory.Exists(path)) throw new DefinitionException(path, 0, 0, "", "is a folder; expected an experiment definition file (*.yaml)");
        if (!File.Exists(path)) throw new DefinitionException(path, 0, 0, "", "file not found");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new DefinitionException(path, 0, 0, "", $"cannot be read: {e.Message}"); }
        return Parse(text, path);
    }

    public static ExperimentDefinition Parse(string text, string file)
    {
        // YAML forbids tabs in indentation; say which line, rather than where the enclosing block began.
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            int tab = lines[i].IndexOf('\t');
            if (tab >= 0 && tab < indent)
                throw new DefinitionException(file, i + 1, tab + 1, "", "not valid YAML: a tab in the indentation; indent with spaces");
        }
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            string reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            throw new DefinitionException(file, (int)e.Start.Line, (int)e.Start.Column, "", $"not valid YAML: {reason}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way when the input ends inside a bracket or quote.
            throw new DefinitionException(file, text.TrimEnd().Split('\n').Length, 1, "", "not valid YAML: the file ends inside an unclosed bracket, brace or quote");
        }
        catch (ArgumentException)
        {
            // ... and this way on an alias (*name) that no anchor (&name) defines.
            int line = Array.FindIndex(lines, l => Regex.IsMatch(l, @"(^|[\s\[,{:])\*[A-Za-z0-9_]")) + 1;
            throw new DefinitionException(file, Math.Max(line, 1), 1, "", "not valid YAML: an alias (*name) with no anchor; definitions need neither");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            throw new DefinitionException(file, 1, 1, "", "is empty; a definition needs at least name, protocol, task and roles");
        if (stream.Documents.Count > 1)
            throw new DefinitionException(file, (int)stream.Documents[1].RootNode.Start.Line, 1, "", "holds several YAML documents; put one experiment per file");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Error(file, stream.Documents[0].RootNode, "", "expected keys such as 'name: …' and 'protocol: …' at the top level");

        var protocol = ReadProtocol(file, root);
        var values = new Dictionary<string, DefinitionValues.Value>();
        ReadMapping(file, root, DefinitionSchema.For(protocol), "", values);
        var read = new DefinitionValues(file, values);
        var settings = protocol.ParseSettings(read);
        var definition = new ExperimentDefinition(read.String("name"), read.String("description"), protocol, file,
            read.Integers("seeds"), settings, read.Resolved());
        int cells = protocol.CountCells(definition);
        if (cells > DefinitionSchema.MaxCells)
            throw new DefinitionException(file, (int)root.Start.Line, 1, "", $"the grid expands to {cells} cells; at most {DefinitionSchema.MaxCells} per definition (split the sweep)");
        return definition;
    }

    /// <summary>The protocol decides which other keys are allowed, so it is read first.</summary>
    static IProtocol ReadProtocol(string file, YamlMappingNode root)
    {
        var field = DefinitionSchema.Common.First(f => f.Key == "protocol");
        var node = root.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "protocol" }).Value
            ?? throw Error(file, root, "", $"missing required key 'protocol' ({field.Description} One of: {string.Join(", ", ProtocolRegistry.Names)})");
        return ProtocolRegistry.Find((string)ReadScalar(file, field, node, "protocol"))!;
    }

    static void ReadMapping(string file, YamlMappingNode node, IReadOnlyList<Field> fields, string prefix, Dictionary<string, DefinitionValues.Value> values)
    {
        var seen = new HashSet<string>();
        foreach (var (keyNode, valueNode) in node.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            string path = prefix + key;
            var field = fields.FirstOrDefault(f => f.Key == key)
                ?? throw Error(file, keyNode, path, $"unknown key '{key}'{Suggest(key, fields.Select(f => f.Key))} (allowed here: {string.Join(", ", fields.Select(f => f.Key))})");
            seen.Add(key);
            if (field.Kind == FieldKind.Mapping)
            {
                if (valueNode is not YamlMappingNode child)
                    throw Error(file, valueNode, path, $"expected a mapping with keys {string.Join(", ", field.Children.Select(f => f.Key))}");
                ReadMapping(file, child, field.Children, path + ".", values);
            }
            else
            {
                values[path] = new DefinitionValues.Value(ReadValue(file, field, valueNode, path), (int)valueNode.Start.Line, (int)valueNode.Start.Column);
            }
        }
        foreach (var field in fields.Where(f => !seen.Contains(f.Key)))
        {
            if (field.Required)
                throw Error(file, node, prefix.TrimEnd('.'), $"missing required key '{field.Key}' ({field.Description})");
            if (field.Default is not null)
                values[prefix + field.Key] = new DefinitionValues.Value(field.Grid ? new List<object> { field.Default } : field.Default, (int)node.Start.Line, (int)node.Start.Column);
            if (field.Kind == FieldKind.Mapping)
                foreach (var child in field.Children.Where(c => c.Default is not null))
                    values[prefix + field.Key + "." + child.Key] = new DefinitionValues.Value(child.Default!, (int)node.Start.Line, (int)node.Start.Column);
        }
    }

    static object ReadValue(string file, Field field, YamlNode node, string path)
    {
        if (node is YamlSequenceNode sequence)
        {
            if (!field.Grid) throw Error(file, node, path, "expected a single value, not a list");
            if (sequence.Children.Count == 0) throw Error(file, node, path, "empty list; give at least one value");
            if (sequence.Children.Count > field.MaxItems) throw Error(file, node, path, $"{sequence.Children.Count} values; at most {field.MaxItems}");
            var list = new List<object>();
            foreach (var item in sequence.Children)
            {
                object v = ReadScalar(file, field, item, path);
                if (list.Contains(v)) throw Error(file, item, path, $"'{v}' appears twice");
                list.Add(v);
            }
            return list;
        }
        object single = ReadScalar(file, field, node, path);
        return field.Grid ? new List<object> { single } : single;
    }

    static object ReadScalar(string file, Field field, YamlNode node, string path)
    {
        if (node is not YamlScalarNode { Value: { } text } || (text.Length == 0 && node is YamlScalarNode { Style: ScalarStyle.Plain }))
            throw Error(file, node, path, $"expected {Describe(field.Kind)}{(node is YamlMappingNode ? ", not a mapping" : ", but the value is empty")}");
        object value = field.Kind switch
        {
            FieldKind.String => text,
            FieldKind.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) ? l
                : throw Error(file, node, path, $"expected an integer, got '{text}'"),
            FieldKind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw Error(file, node, path, $"expected a number, got '{text}'"),
            FieldKind.Boolean => text is "true" or "false" ? text == "true" : throw Error(file, node, path, $"expected true or false, got '{text}'"),
            _ => throw new InvalidOperationException(),
        };
        if (value is long or double)
        {
            double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (field.Min is double min && x < min || field.Max is double max && x > max)
                throw Error(file, node, path, $"{text} is out of range [{field.Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {field.Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}]");
        }
        if (field.Choices is not null && !field.Choices().Contains(text))
            throw Error(file, node, path, $"unknown value '{text}'{Suggest(text, field.Choices())} (expected one of: {string.Join(", ", field.Choices())})");
        if (field.Pattern is not null && !Regex.IsMatch(text, field.Pattern))
            throw Error(file, node, path, $"'{text}' must match {field.Pattern} (lowercase letters, digits, '-' and '_'; it names the output folder)");
        return value;
    }

    static DefinitionException Error(string file, YamlNode node, string path, string problem) =>
        new(file, (int)node.Start.Line, (int)node.Start.Column, path, problem);

    static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.String => "a text value",
        FieldKind.Integer => "an integer",
        FieldKind.Number => "a number",
        FieldKind.Boolean => "true or false",
        _ => "a mapping",
    };

    /// <summary>" (did you mean 'x'?)" for a near miss by edit distance, else "".</summary>
    static string Suggest(string given, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(given, k))).OrderBy(t => t.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, given.Length / 3) ? $" (did you mean '{best.k}'?)" : "";
    }

    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
