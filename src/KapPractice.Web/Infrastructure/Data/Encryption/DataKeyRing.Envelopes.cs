using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>The envelopes: sealing and opening column values (version 2) and unbound values (version 1).</summary>
public sealed partial class DataKeyRing
{
    /// <summary>An envelope bound to nothing: the Data Protection key files and the key check values.</summary>
    public const byte EnvelopeVersion = 1;
    /// <summary>An envelope bound to its table and column, its plaintext padded (<see cref="SealBinding"/>): every column value.</summary>
    public const byte BoundEnvelopeVersion = 2;
    public const int HeaderLength = 5;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const byte PaddingMark = 0x80;

    /// <summary>What an envelope adds to its plaintext: the header, the nonce and the tag.</summary>
    public const int EnvelopeOverhead = HeaderLength + NonceLength + TagLength;

    /// <summary>An unbound envelope (version 1): the Data Protection key files and the key check values, never a column.</summary>
    public static byte[] Protect(DataKey key, ReadOnlySpan<byte> plaintext) => Seal(key, EnvelopeVersion, plaintext, []);

    /// <summary>Opens an unbound envelope (version 1).</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> envelope) =>
        envelope.Length > 0 && envelope[0] == EnvelopeVersion ? Open(envelope, []) : throw NotAnEnvelope();

    /// <summary>Text (or its absence) sealed for one column, with the current key (see <see cref="SealBinding"/>).</summary>
    public byte[] SealText(string? text, SealBinding binding) => SealText(Current, text, binding);

    /// <summary>
    /// A bound envelope (version 2): the plaintext is a marker byte (null or value), the UTF-8 text, then 0x80 and zeros
    /// up to the length the binding gives, so the stored length tells only the column (or a 64-byte bucket of free
    /// text); the table and column are authenticated with it, so the value opens in no other column.
    /// </summary>
    public static byte[] SealText(DataKey key, string? text, SealBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var length = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
        var padded = new byte[binding.PaddedLengthFor(1 + length)];
        padded[0] = text is null ? (byte)0 : (byte)1;
        if (text is not null)
        {
            Encoding.UTF8.GetBytes(text, padded.AsSpan(1));
        }

        padded[1 + length] = PaddingMark;
        try
        {
            return Seal(key, BoundEnvelopeVersion, padded, binding.AssociatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    /// <summary>
    /// Opens a value of the column the binding names (a bound envelope, version 2). Throws
    /// <see cref="CryptographicException"/> for a value of another column, a changed value, a missing key, or an
    /// unbound envelope (a key check value or a Data Protection key file moved into a column).
    /// </summary>
    public string? OpenText(byte[]? envelope, SealBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (envelope is null)
        {
            return null;
        }

        if (envelope.Length < EnvelopeOverhead || envelope[0] != BoundEnvelopeVersion)
        {
            throw NotAnEnvelope();
        }

        // Opened into memory of this call alone (the stack, or a pooled buffer for long free text and the screening
        // reasons), wiped before it is left: a value read, a list searched, leaves no plaintext behind but the text it
        // returns.
        var length = envelope.Length - EnvelopeOverhead;
        byte[]? rented = null;
        var plaintext = (length <= StackPlaintextLimit ? stackalloc byte[StackPlaintextLimit] : (rented = ArrayPool<byte>.Shared.Rent(length)))[..length];
        try
        {
            OpenInto(envelope, binding.AssociatedData, plaintext);
            var end = plaintext.LastIndexOfAnyExcept((byte)0);
            if (end < 1 || plaintext[end] != PaddingMark)
            {
                throw new CryptographicException("A sealed value's padding is not readable.");
            }

            return plaintext[0] == 1 ? Encoding.UTF8.GetString(plaintext[1..end]) : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The longest plaintext <see cref="OpenText"/> opens on the stack: names, addresses and choices (an address, the longest of them, is 768 bytes padded).</summary>
    internal const int StackPlaintextLimit = 1024;

    /// <summary>The longest associated data (header and binding) put on the stack; a binding is about 40 bytes.</summary>
    private const int StackAssociatedDataLimit = 256;

    /// <summary>The key id an envelope names (0 when it is not an envelope).</summary>
    public static uint KeyIdOf(ReadOnlySpan<byte> envelope) =>
        envelope.Length >= HeaderLength && IsKnownVersion(envelope[0]) ? BinaryPrimitives.ReadUInt32BigEndian(envelope.Slice(1, 4)) : 0;

    private static bool IsKnownVersion(byte version) => version is EnvelopeVersion or BoundEnvelopeVersion;

    private static byte[] Seal(DataKey key, byte version, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> boundTo)
    {
        ArgumentNullException.ThrowIfNull(key);
        var envelope = new byte[EnvelopeOverhead + plaintext.Length];
        envelope[0] = version;
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(1, 4), key.Id);
        var nonce = envelope.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> associated = HeaderLength + boundTo.Length <= StackAssociatedDataLimit ? stackalloc byte[HeaderLength + boundTo.Length] : new byte[HeaderLength + boundTo.Length];
        WriteAssociatedData(envelope.AsSpan(0, HeaderLength), boundTo, associated);
        var aes = key.RentCipher();
        try
        {
            aes.Encrypt(nonce, plaintext, envelope.AsSpan(EnvelopeOverhead), envelope.AsSpan(HeaderLength + NonceLength, TagLength), associated);
        }
        finally
        {
            key.ReturnCipher(aes);
        }

        return envelope;
    }

    private byte[] Open(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> boundTo)
    {
        if (envelope.Length < EnvelopeOverhead)
        {
            throw NotAnEnvelope();
        }

        var plaintext = new byte[envelope.Length - EnvelopeOverhead];
        OpenInto(envelope, boundTo, plaintext);
        return plaintext;
    }

    /// <summary>Opens an envelope (at least <see cref="EnvelopeOverhead"/> bytes) into <paramref name="plaintext"/>, its length less the overhead.</summary>
    private void OpenInto(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> boundTo, Span<byte> plaintext)
    {
        var id = KeyIdOf(envelope);
        if (!_snapshot.Keys.TryGetValue(id, out var key))
        {
            // Another process (the rotate-key command) may have added it since start-up.
            Load();
            if (!_snapshot.Keys.TryGetValue(id, out key))
            {
                throw new CryptographicException($"A stored value was encrypted with key {id:x8}, which is not in {Describe()}.");
            }
        }

        Span<byte> associated = HeaderLength + boundTo.Length <= StackAssociatedDataLimit ? stackalloc byte[HeaderLength + boundTo.Length] : new byte[HeaderLength + boundTo.Length];
        WriteAssociatedData(envelope[..HeaderLength], boundTo, associated);
        var aes = key.RentCipher();
        try
        {
            aes.Decrypt(envelope.Slice(HeaderLength, NonceLength), envelope[EnvelopeOverhead..], envelope.Slice(HeaderLength + NonceLength, TagLength), plaintext, associated);
        }
        finally
        {
            key.ReturnCipher(aes);
        }
    }

    /// <summary>The associated data, into <paramref name="destination"/> (exactly their length): the header, then what the value is bound to (nothing for version 1).</summary>
    private static void WriteAssociatedData(ReadOnlySpan<byte> header, ReadOnlySpan<byte> boundTo, Span<byte> destination)
    {
        header.CopyTo(destination);
        boundTo.CopyTo(destination[header.Length..]);
    }

    private static CryptographicException NotAnEnvelope() => new("The stored value is not an encrypted envelope this version can read.");

    /// <summary>Logs a value that did not open: which column, and why, never what it held.</summary>
    public void ReportUnreadable(SealBinding binding, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(exception);
        if (_logger is not null)
        {
            LogUnreadable(_logger, binding.ToString(), exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A sealed value in {Column} could not be read ({ErrorType}): its key is missing, or it was changed or moved; it shows as \"" + Domain.UnreadableValue.Text + "\"")]
    private static partial void LogUnreadable(ILogger logger, string column, string errorType);
}
