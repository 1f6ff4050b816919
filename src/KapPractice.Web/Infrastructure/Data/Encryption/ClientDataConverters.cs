using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>Converters between answers and envelopes; enums by name and lists as JSON arrays of names, each sealed for its column.</summary>
/// <remarks>
/// An unanswered optional question is sealed too (convertsNulls): a bare NULL would tell, for one, that the client
/// has no bipolar disorder (the episode question is only asked otherwise). EF Core marks that constructor as
/// infrastructure; these columns are only written and read whole, never compared in a query, which it supports.
/// A value that does not open reads as <see cref="UnreadableValue"/> (and is logged without content), never as an
/// error page: the rest of the inquiry stays readable.
/// </remarks>
#pragma warning disable EF1001
public static class ClientDataConverters
{
    public static ValueConverter Text(ModelKeyRingSeat seat, SealBinding binding, bool hideNull) =>
        new ValueConverter<string?, byte[]?>(v => seat.Ring.SealText(v, binding), p => OpenText(seat.Ring, binding, p), convertsNulls: hideNull);

    public static ValueConverter Enum<T>(ModelKeyRingSeat seat, SealBinding binding)
        where T : struct, Enum =>
        new ValueConverter<T, byte[]>(v => seat.Ring.SealText(NameOf(v), binding), p => OpenEnum<T>(seat.Ring, binding, p));

    public static ValueConverter NullableEnum<T>(ModelKeyRingSeat seat, SealBinding binding)
        where T : struct, Enum =>
        new ValueConverter<T?, byte[]?>(v => seat.Ring.SealText(NameOf(v), binding), p => OpenNullableEnum<T>(seat.Ring, binding, p), convertsNulls: true);

    public static ValueConverter EnumList<T>(ModelKeyRingSeat seat, SealBinding binding)
        where T : struct, Enum =>
        new ValueConverter<List<T>, byte[]>(v => seat.Ring.SealText(ToJson(v), binding), p => OpenEnumList<T>(seat.Ring, binding, p));

    public static ValueConverter TextList(ModelKeyRingSeat seat, SealBinding binding) =>
        new ValueConverter<List<string>, byte[]>(v => seat.Ring.SealText(JsonSerializer.Serialize(v, JsonOptions), binding), p => OpenTextList(seat.Ring, binding, p));

    public static ValueComparer ListComparer<T>() => new ValueComparer<List<T>>(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        v => v.ToList());

    public static string NameOf<T>(T value)
        where T : struct, Enum => value.ToString();

    public static string? NameOf<T>(T? value)
        where T : struct, Enum => value?.ToString();

    public static T ParseEnum<T>(string? name)
        where T : struct, Enum => System.Enum.Parse<T>(name ?? throw new InvalidDataException("An encrypted answer holds no value."));

    public static T? ParseNullableEnum<T>(string? name)
        where T : struct, Enum => name is null ? null : System.Enum.Parse<T>(name);

    public static string ToJson<T>(List<T> values)
        where T : struct, Enum => JsonSerializer.Serialize(values.Select(v => v.ToString()), JsonOptions);

    public static List<T> ParseEnumList<T>(string? json)
        where T : struct, Enum => [.. ParseTextList(json).Select(System.Enum.Parse<T>)];

    public static List<string> ParseTextList(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<string>>(json, JsonOptions) ?? [];

    private static List<T> UnreadableList<T>(T item) => [item];

    // The converters' expressions call these rather than pass Open a lambda or method group: a delegate written inside
    // an expression that EF compiles is made anew on every value read (a profile of the list's search showed
    // DynamicMethod.CreateDelegate under each opening). Here the compiler makes each delegate once, and the unreadable
    // stand-in is made only for a value that does not open.
    private static string? OpenText(DataKeyRing ring, SealBinding binding, byte[]? envelope) =>
        Open(ring, binding, envelope, static text => text, static () => UnreadableValue.Text);

    private static T OpenEnum<T>(DataKeyRing ring, SealBinding binding, byte[]? envelope)
        where T : struct, Enum => Open(ring, binding, envelope, ParseEnum<T>, UnreadableValue.Choice<T>);

    private static T? OpenNullableEnum<T>(DataKeyRing ring, SealBinding binding, byte[]? envelope)
        where T : struct, Enum => Open(ring, binding, envelope, ParseNullableEnum<T>, static () => UnreadableValue.Choice<T>());

    private static List<T> OpenEnumList<T>(DataKeyRing ring, SealBinding binding, byte[]? envelope)
        where T : struct, Enum => Open(ring, binding, envelope, ParseEnumList<T>, static () => UnreadableList(UnreadableValue.Choice<T>()));

    private static List<string> OpenTextList(DataKeyRing ring, SealBinding binding, byte[]? envelope) =>
        Open(ring, binding, envelope, ParseTextList, static () => UnreadableList(UnreadableValue.Text));

    private static TValue Open<TValue>(DataKeyRing ring, SealBinding binding, byte[]? envelope, Func<string?, TValue> parse, Func<TValue> unreadable)
    {
        try
        {
            return parse(ring.OpenText(envelope, binding));
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidDataException or ArgumentException or JsonException or DecoderFallbackException)
        {
            ring.ReportUnreadable(binding, ex);
            return unreadable();
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new();
}
#pragma warning restore EF1001
