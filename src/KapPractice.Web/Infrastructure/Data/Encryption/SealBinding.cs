using System.Text;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// What a sealed column's values are bound to and how long they are stored: every value of the column is padded to
/// <see cref="FixedLength"/> bytes (choices, lists, names, addresses: one stored length for the whole column), and free
/// text beyond it to whole buckets of <see cref="Bucket"/> bytes, so the stored length tells only the column, or for
/// free text a 64-byte bucket of its length. The table and column are authenticated with the value.
/// </summary>
public sealed class SealBinding
{
    /// <summary>The step free text grows in: no finer than this, so a length tells no more than its bucket.</summary>
    public const int Bucket = 64;

    private SealBinding(string table, string column, int fixedLength)
    {
        Table = table;
        Column = column;
        FixedLength = fixedLength;
        AssociatedData = Encoding.UTF8.GetBytes($"KapPractice sealed value|{table}|{column}");
    }

    public string Table { get; }
    public string Column { get; }

    /// <summary>The padded length of every value that fits (0 for free text, which only gets buckets).</summary>
    public int FixedLength { get; }

    /// <summary>Authenticated with the value (after the envelope's header): the value opens in this column only.</summary>
    internal byte[] AssociatedData { get; }

    /// <summary>Every value padded to one length: at least <paramref name="longestPlaintext"/> bytes, rounded up to a whole bucket.</summary>
    public static SealBinding Fixed(string table, string column, int longestPlaintext) =>
        new(table, column, RoundUp(longestPlaintext + 1));

    /// <summary>Free text: padded to a whole number of buckets.</summary>
    public static SealBinding FreeText(string table, string column) => new(table, column, 0);

    /// <summary>
    /// The padded length of a plaintext of <paramref name="length"/> bytes (its marker byte included), with room for
    /// the padding mark. A value longer than the fixed length (never, for a column whose limit it was made from)
    /// grows in whole buckets beyond it rather than failing.
    /// </summary>
    public int PaddedLengthFor(int length)
    {
        var needed = length + 1;
        return needed <= FixedLength ? FixedLength : FixedLength + RoundUp(needed - FixedLength);
    }

    public override string ToString() => $"{Table}.{Column}";

    private static int RoundUp(int length) => (length + Bucket - 1) / Bucket * Bucket;
}
