using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>A start-up stop about the encryption key: the message names the setting to fix.</summary>
public sealed class EncryptionKeyException(string message) : Exception(message);

/// <summary>One data key: 32 random bytes for AES-256-GCM, named by a random 32-bit id.</summary>
public sealed class DataKey
{
    internal DataKey(uint id, DateTime createdUtc, byte[] material, string source)
    {
        Id = id;
        CreatedUtc = createdUtc;
        Material = material;
        Source = source;
        AddressHashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "KapPractice recipient address hash"u8.ToArray());
    }

    public uint Id { get; }
    public string Name => Id.ToString("x8", CultureInfo.InvariantCulture);
    public DateTime CreatedUtc { get; }
    /// <summary>The file it was read from.</summary>
    public string Source { get; }
    internal byte[] Material { get; }
    internal byte[] AddressHashKey { get; }

    // Setting up AES-GCM costs more than sealing a short answer; a few ready instances are kept (each used by one thread at a time).
    private readonly System.Collections.Concurrent.ConcurrentBag<AesGcm> _ciphers = [];

    internal AesGcm RentCipher() => _ciphers.TryTake(out var cipher) ? cipher : new AesGcm(Material, 16);

    internal void ReturnCipher(AesGcm cipher)
    {
        if (_ciphers.Count < 2 * Environment.ProcessorCount)
        {
            _ciphers.Add(cipher);
        }
        else
        {
            cipher.Dispose();
        }
    }
}

/// <summary>
/// The keys that encrypt client data, read from <c>Encryption:KeyDirectory</c> (and systemd credentials), never from the
/// data folder. Each value is a versioned envelope: <c>[version][key id, 4 bytes][nonce, 12][tag, 16][ciphertext]</c>,
/// the first five bytes authenticated with it, so every value names the key that can open it. Column values are
/// version 2 (padded, bound to their column: <see cref="SealText(string?, SealBinding)"/>); version 1 is unbound and
/// unpadded. The newest key encrypts; every key on the ring decrypts. See README, "Encryption at rest".
/// </summary>
public sealed partial class DataKeyRing
{
    public const string KeyDirectorySetting = "Encryption:KeyDirectory";
    public const string CredentialsDirectorySetting = "CREDENTIALS_DIRECTORY";
    public const string CredentialPrefix = "kappractice-key";
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
    private const string KeyFilePrefix = "data-key-";
    private const string KeyFileSuffix = ".json";
    private static readonly byte[] CheckPlaintext = "KapPractice key check"u8.ToArray();

    private readonly Lock _lock = new();
    private volatile Snapshot _snapshot = new(FrozenDictionary<uint, DataKey>.Empty, null);

    private readonly ILogger? _logger;

    public DataKeyRing(IConfiguration configuration, IHostEnvironment environment, ILogger<DataKeyRing>? logger = null)
    {
        _logger = logger;
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration[KeyDirectorySetting];
        KeyDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "App_Keys" : configured, environment.ContentRootPath);
        CredentialsDirectory = configuration[CredentialsDirectorySetting] is { Length: > 0 } credentials ? credentials : null;
    }

    public string KeyDirectory { get; }
    public string? CredentialsDirectory { get; }

    /// <summary>Where the keys are looked for, as a start-up message names it.</summary>
    public string Describe() => CredentialsDirectory is null
        ? $"{KeyDirectorySetting} ({KeyDirectory})"
        : $"{KeyDirectorySetting} ({KeyDirectory}) or the systemd credentials in $CREDENTIALS_DIRECTORY ({CredentialsDirectory}, files named {CredentialPrefix}*)";

    public bool IsEmpty => _snapshot.Keys.Count == 0;

    public IReadOnlyCollection<DataKey> Keys => _snapshot.Keys.Values;

    /// <summary>The key new values are encrypted with: the newest.</summary>
    public DataKey Current => _snapshot.Current ?? throw new InvalidOperationException("The encryption key ring is not loaded yet.");

    public bool Contains(uint keyId) => _snapshot.Keys.ContainsKey(keyId);

    /// <summary>Reads every key file; a file that is not a key stops start-up. Returns true when the ring changed.</summary>
    public bool Load()
    {
        lock (_lock)
        {
            var keys = new Dictionary<uint, DataKey>();
            if (Directory.Exists(KeyDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(KeyDirectory, KeyFilePrefix + "*" + KeyFileSuffix))
                {
                    Add(keys, Read(file));
                }
            }

            if (CredentialsDirectory is not null && Directory.Exists(CredentialsDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(CredentialsDirectory, CredentialPrefix + "*"))
                {
                    Add(keys, Read(file));
                }
            }

            var changed = !keys.Keys.ToHashSet().SetEquals(_snapshot.Keys.Keys);
            var current = keys.Values.OrderByDescending(k => k.CreatedUtc).ThenByDescending(k => k.Id).FirstOrDefault();
            _snapshot = new Snapshot(keys.ToFrozenDictionary(), current);
            return changed;
        }
    }

    /// <summary>Makes a new key, writes it owner-only to the key folder and encrypts with it from now on.</summary>
    public DataKey CreateKey(DateTime nowUtc)
    {
        lock (_lock)
        {
            OwnerOnlyFiles.CreateFolder(KeyDirectory);
            uint id;
            do
            {
                id = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));
            }
            while (id == 0 || _snapshot.Keys.ContainsKey(id));

            // Later than every key on the ring, so it is the newest even if the clock went back.
            var created = _snapshot.Keys.Values.Select(k => k.CreatedUtc.AddSeconds(1)).Append(nowUtc).Max();
            var material = RandomNumberGenerator.GetBytes(32);
            var path = Path.Combine(KeyDirectory, $"{KeyFilePrefix}{id:x8}{KeyFileSuffix}");
            var file = new KeyFile(
                "KapPractice data key (AES-256-GCM) for client data and the Data Protection keys. Keep it secret, and keep a copy apart from the backups: without it they cannot be read.",
                id.ToString("x8", CultureInfo.InvariantCulture),
                created,
                Convert.ToBase64String(material));
            OwnerOnlyFiles.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(file, KeyFileJson));
            var key = new DataKey(id, created, material, path);
            var keys = new Dictionary<uint, DataKey>(_snapshot.Keys) { [id] = key };
            _snapshot = new Snapshot(keys.ToFrozenDictionary(), key);
            return key;
        }
    }

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
    /// Opens a value of the column the binding names: a bound envelope (version 2), or an unbound one (version 1) that the
    /// re-sealing pass has not reached yet. Throws <see cref="CryptographicException"/> for a value of another column,
    /// a changed value or a missing key.
    /// </summary>
    public string? OpenText(byte[]? envelope, SealBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (envelope is null)
        {
            return null;
        }

        if (envelope.Length > 0 && envelope[0] == EnvelopeVersion)
        {
            // Only what a column held in that form: [0] for no value, [1, text]. A key check value or a Data Protection
            // key file moved into a column opens too (unbound), and must read as unreadable, not as "not answered".
            var legacy = Open(envelope, []);
            return legacy switch
            {
                [0] => null,
                [1, ..] => Encoding.UTF8.GetString(legacy.AsSpan(1)),
                _ => throw new CryptographicException("A stored value in the older form holds no column value."),
            };
        }

        if (envelope.Length == 0 || envelope[0] != BoundEnvelopeVersion)
        {
            throw NotAnEnvelope();
        }

        var plaintext = Open(envelope, binding.AssociatedData);
        var end = plaintext.AsSpan().LastIndexOfAnyExcept((byte)0);
        if (end < 1 || plaintext[end] != PaddingMark)
        {
            throw new CryptographicException("A sealed value's padding is not readable.");
        }

        return plaintext[0] == 1 ? Encoding.UTF8.GetString(plaintext.AsSpan(1, end - 1)) : null;
    }

    /// <summary>
    /// A whole file sealed for one use (its <paramref name="purpose"/> is authenticated with it, so a file of another
    /// use does not open as this one): a bound envelope whose plaintext is the content's length (4 bytes), the content
    /// and zeros up to a whole number of <paramref name="bucket"/>s, so the file's size tells only its bucket.
    /// </summary>
    public byte[] SealFile(ReadOnlySpan<byte> content, string purpose, int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucket, 64);
        var padded = new byte[(4 + content.Length + bucket - 1) / bucket * bucket];
        BinaryPrimitives.WriteInt32BigEndian(padded, content.Length);
        content.CopyTo(padded.AsSpan(4));
        try
        {
            return Seal(Current, BoundEnvelopeVersion, padded, FilePurpose(purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    /// <summary>Opens a file <see cref="SealFile"/> sealed for this purpose; throws <see cref="CryptographicException"/> otherwise.</summary>
    public byte[] OpenFile(ReadOnlySpan<byte> envelope, string purpose)
    {
        if (envelope.Length == 0 || envelope[0] != BoundEnvelopeVersion)
        {
            throw NotAnEnvelope();
        }

        var padded = Open(envelope, FilePurpose(purpose));
        var length = padded.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(padded) : -1;
        return length >= 0 && length <= padded.Length - 4
            ? padded.AsSpan(4, length).ToArray()
            : throw new CryptographicException("A sealed file's length is not readable.");
    }

    private static byte[] FilePurpose(string purpose) => Encoding.UTF8.GetBytes($"KapPractice sealed file|{purpose}");

    /// <summary>True for a value of either envelope version (what the re-sealing pass tells from a clear value).</summary>
    public static bool IsEnvelope(ReadOnlySpan<byte> value) =>
        value.Length >= EnvelopeOverhead && IsKnownVersion(value[0]);

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
        var associated = AssociatedData(envelope.AsSpan(0, HeaderLength), boundTo);
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

        var plaintext = new byte[envelope.Length - EnvelopeOverhead];
        var associated = AssociatedData(envelope[..HeaderLength], boundTo);
        var aes = key.RentCipher();
        try
        {
            aes.Decrypt(envelope.Slice(HeaderLength, NonceLength), envelope[EnvelopeOverhead..], envelope.Slice(HeaderLength + NonceLength, TagLength), plaintext, associated);
        }
        finally
        {
            key.ReturnCipher(aes);
        }

        return plaintext;
    }

    /// <summary>The header, then what the value is bound to (nothing for version 1).</summary>
    private static byte[] AssociatedData(ReadOnlySpan<byte> header, ReadOnlySpan<byte> boundTo) => [.. header, .. boundTo];

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

    /// <summary>A keyed hash of the lower-cased address: finds earlier mail to it without storing it readably.</summary>
    public byte[] AddressHash(string address) => AddressHash(Current, address);

    /// <summary>The address's hash under every key, so rows not yet re-encrypted after a rotation still match.</summary>
    public IReadOnlyList<byte[]> AddressHashes(string address) => [.. Keys.Select(k => AddressHash(k, address))];

    public static byte[] AddressHash(DataKey key, string address)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(address);
        return HMACSHA256.HashData(key.AddressHashKey, Encoding.UTF8.GetBytes(address.Trim().ToLowerInvariant()));
    }

    /// <summary>
    /// A keyed hash for one <paramref name="purpose"/> (such as admin session ids): HMAC-SHA256 under a key derived from
    /// the data key with HKDF, one per purpose, as the address hash is. A copy of the database alone can neither match nor forge it.
    /// </summary>
    public byte[] SecretHash(string purpose, ReadOnlySpan<byte> value) => SecretHash(Current, purpose, value);

    /// <summary>The hash under every key on the ring, newest first, so values hashed before a rotation still match.</summary>
    public IReadOnlyList<byte[]> SecretHashes(string purpose, ReadOnlySpan<byte> value)
    {
        var hashes = new List<byte[]>();
        foreach (var key in Keys.OrderByDescending(k => k.CreatedUtc))
        {
            hashes.Add(SecretHash(key, purpose, value));
        }

        return hashes;
    }

    public static byte[] SecretHash(DataKey key, string purpose, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material, 32, info: Encoding.UTF8.GetBytes("KapPractice secret hash: " + purpose));
        return HMACSHA256.HashData(hashKey, value);
    }

    /// <summary>A value the database keeps per key, so a wrong key is caught at start-up rather than on a page.</summary>
    public static byte[] CheckValue(DataKey key) => Protect(key, CheckPlaintext);

    /// <summary>True when the ring holds the key the check value names and it opens the value.</summary>
    public bool Opens(byte[] checkValue)
    {
        try
        {
            return _snapshot.Keys.ContainsKey(KeyIdOf(checkValue)) && Unprotect(checkValue).AsSpan().SequenceEqual(CheckPlaintext);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private void Add(Dictionary<uint, DataKey> keys, DataKey key)
    {
        if (keys.TryGetValue(key.Id, out var other) && !other.Material.AsSpan().SequenceEqual(key.Material))
        {
            throw new EncryptionKeyException($"Two different keys named {key.Name} were found ({other.Source} and {key.Source}) in {Describe()}. Keep one.");
        }

        // The same key read again keeps its object (and its ready ciphers).
        keys[key.Id] = _snapshot.Keys.TryGetValue(key.Id, out var known) && known.Material.AsSpan().SequenceEqual(key.Material) ? known : key;
    }

    private DataKey Read(string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllBytes(path), KeyFileJson);
            var material = Convert.FromBase64String(file?.Key ?? "");
            if (file is null || material.Length != 32 || !uint.TryParse(file.Id, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) || id == 0)
            {
                throw new FormatException("not a KapPractice data key");
            }

            return new DataKey(id, DateTime.SpecifyKind(file.Created, DateTimeKind.Utc), material, path);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new EncryptionKeyException($"The key file {path} in {Describe()} cannot be read as a KapPractice data key ({ex.GetType().Name}). Restore it from your copy of the key folder.");
        }
    }

    private static readonly JsonSerializerOptions KeyFileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record KeyFile(string Note, string Id, DateTime Created, string Key);

    private sealed record Snapshot(FrozenDictionary<uint, DataKey> Keys, DataKey? Current);
}
