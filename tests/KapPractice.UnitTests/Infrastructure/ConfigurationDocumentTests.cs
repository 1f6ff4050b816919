using System.Reflection;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data.Encryption;

namespace KapPractice.UnitTests.Infrastructure;

/// <summary>
/// docs/configuration.md is where an operator looks up a setting: every setting the app binds must have a row there
/// (a table line starting with the key in backticks), so a property added to an options class without a line in the
/// document fails here rather than going unknown.
/// </summary>
public sealed class ConfigurationDocumentTests
{
    /// <summary>
    /// The settings read straight from configuration rather than through an options class (DataPaths, DataKeyRing,
    /// SecuritySetup's forwarded headers).
    /// </summary>
    private static readonly string[] RawKeys =
    [
        "Data:Directory",
        DataPaths.ProviderSetting,
        "ConnectionStrings:Default",
        "Backup:Directory",
        DataKeyRing.KeyDirectorySetting,
        "ForwardedHeaders:KnownProxies",
        "ForwardedHeaders:KnownNetworks",
    ];

    [Fact]
    public void Every_options_property_has_a_row_in_docs_configuration()
    {
        var sections = OptionsSections();
        Assert.Contains(sections, s => s.Key == "Email");
        var keys = sections.SelectMany(s => Keys(s.Key, s.Value)).ToList();
        Assert.Contains("Email:Smtp:Host", keys);

        var documented = DocumentedKeys();
        var missing = keys.Where(key => !documented.Contains(key)).ToList();
        Assert.True(missing.Count == 0, "Missing from docs/configuration.md (a table row starting with | `Key` |): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_setting_read_without_an_options_class_has_a_row_in_docs_configuration()
    {
        var documented = DocumentedKeys();
        var missing = RawKeys.Where(key => !documented.Contains(key)).ToList();
        Assert.True(missing.Count == 0, "Missing from docs/configuration.md: " + string.Join(", ", missing));
    }

    /// <summary>Every class of the web assembly that names its configuration section, as the setups bind them (BindConfiguration(X.Section)).</summary>
    private static List<KeyValuePair<string, Type>> OptionsSections() =>
        [.. typeof(Program).Assembly.GetTypes()
            .Where(type => type.IsClass)
            .Select(type => (type, field: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.field is { IsLiteral: true } && t.field.FieldType == typeof(string))
            .Select(t => new KeyValuePair<string, Type>((string)t.field!.GetRawConstantValue()!, t.type))];

    /// <summary>Each public settable property as Section:Property; a property whose type is another options class of the app is followed (Email:Smtp:Host).</summary>
    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = prefix + ":" + property.Name;
            if (property.PropertyType.IsClass && property.PropertyType.Assembly == typeof(Program).Assembly)
            {
                foreach (var nested in Keys(key, property.PropertyType))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    /// <summary>The keys that begin a table row: <c>| `Email:Smtp:Host` |</c>, or several on one row: <c>| `A:B`, `A:C` |</c>.</summary>
    private static HashSet<string> DocumentedKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(DocumentPath()))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            var firstCell = line.Split('|', StringSplitOptions.RemoveEmptyEntries)[0];
            foreach (var part in firstCell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                keys.Add(part.Trim('`'));
            }
        }

        return keys;
    }

    private static string DocumentPath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "KapPractice.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? throw new InvalidOperationException("No KapPractice.sln above " + AppContext.BaseDirectory), "docs", "configuration.md");
    }
}
