using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// The keys that encrypt client data, read from <c>Encryption:KeyDirectory</c> (and systemd credentials), never from the
/// data folder. Each value is a versioned envelope: <c>[version][key id, 4 bytes][nonce, 12][tag, 16][ciphertext]</c>,
/// the first five bytes authenticated with it, so every value names the key that can open it. Column values are
/// version 2 (padded, bound to their column: <see cref="SealText(string?, SealBinding)"/>); version 1, unbound, seals
/// only the Data Protection key files and the key check values. The newest key encrypts; every key on the ring
/// decrypts. This file reads and writes the key files; the envelopes, sealed files and keyed hashes are in the
/// DataKeyRing.*.cs files beside it. See docs/security.md.
/// </summary>
public sealed partial class DataKeyRing : IDisposable
{
    public const string KeyDirectorySetting = "Encryption:KeyDirectory";
    public const string CredentialsDirectorySetting = "CREDENTIALS_DIRECTORY";
    public const string CredentialPrefix = "kappractice-key";
    private const string KeyFilePrefix = "data-key-";
    private const string KeyFileSuffix = ".json";
    private static readonly byte[] CheckPlaintext = "KapPractice key check"u8.ToArray();

    private readonly Lock _lock = new();
    private volatile Snapshot _snapshot = new(FrozenDictionary<uint, DataKey>.Empty, null);

    private readonly ILogger? _logger;
    // Its own lock: a context being made must not wait behind a key file being read or written under _lock.
    private readonly Lock _seatLock = new();
    private ModelKeyRingSeat? _seat;
    private bool _disposed;

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

    /// <summary>
    /// For a <see cref="KapDbContext"/> being made with this ring: this ring's seat for the EF Core model
    /// (<see cref="ModelKeyRingSeat"/>), taken from the pool the first time, now held by that context until it is disposed.
    /// Refused once the ring is disposed.
    /// </summary>
    internal ModelKeyRingSeat HoldSeatForContext()
    {
        ModelKeyRingSeat seat;
        lock (_seatLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            seat = _seat ??= ModelKeyRingSeat.TakeFor(this);
        }

        seat.ContextOpened(this);
        return seat;
    }

    /// <summary>
    /// The app is stopping: no context can be made with this ring any more, and its seat goes back to the pool once the last
    /// context made with it is disposed. The keys stay loaded: a context still open goes on sealing and opening with them.
    /// </summary>
    public void Dispose()
    {
        ModelKeyRingSeat? seat;
        lock (_seatLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            seat = _seat;
        }

        seat?.RingDisposed();
    }

    private sealed record Snapshot(FrozenDictionary<uint, DataKey> Keys, DataKey? Current);
}
