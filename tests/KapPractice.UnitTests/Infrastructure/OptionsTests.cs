using System.Reflection;
using Microsoft.Extensions.Options;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class OptionsTests
{
    /// <summary>Start-up validation reads a nested settings object's own rules only when the property asks for it.</summary>
    [Fact]
    public void Every_nested_settings_object_is_validated_with_its_parent()
    {
        var nested = typeof(Program).Assembly.GetTypes()
            .Where(type => type.Name.EndsWith("Options", StringComparison.Ordinal) && type.IsClass)
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(property => property.PropertyType.Assembly == typeof(Program).Assembly && property.PropertyType.IsClass)
            .ToList();

        Assert.NotEmpty(nested);
        Assert.All(nested, property => Assert.True(
            property.IsDefined(typeof(ValidateObjectMembersAttribute)),
            $"{property.DeclaringType!.Name}.{property.Name} needs [ValidateObjectMembers]"));
    }
}
