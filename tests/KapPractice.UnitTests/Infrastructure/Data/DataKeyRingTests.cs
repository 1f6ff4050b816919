using System.Security.Cryptography;
using System.Text;
using KapPractice.Web.Infrastructure.Data.Encryption;

namespace KapPractice.UnitTests.Infrastructure.Data;

public sealed class DataKeyRingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kappractice-unit", Guid.NewGuid().ToString("N"));

    private DataKeyRing NewRing(string? keys = null) => TestKeyRings.Load(_folder, keys ?? Path.Combine(_folder, "keys"));

    private static readonly SealBinding Name = SealBinding.Fixed("Inquiries", "FullName", 301);
    private static readonly SealBinding Message = SealBinding.FreeText("Inquiries", "Message");

    [Theory]
    [InlineData("Nguyễn Văn An")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_and_its_absence_read_back_as_they_were(string? text)
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);

        var envelope = ring.SealText(text, Name);

        Assert.Equal(text, ring.OpenText(envelope, Name));
        Assert.Equal(ring.Current.Id, DataKeyRing.KeyIdOf(envelope));
        if (text is { Length: > 0 })
        {
            Assert.Equal(-1, envelope.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)));
        }
    }

    [Theory]
    [InlineData(DataKeyRing.StackPlaintextLimit - 2, "m", true)] // with its marker and padding mark, just the limit
    [InlineData(DataKeyRing.StackPlaintextLimit - 1, "m", false)] // one bucket more
    [InlineData(20000, "Grüße, ", false)]
    public void Free_text_on_either_side_of_the_stack_limit_reads_back_as_it_was(int length, string pattern, bool withinTheStackLimit)
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);
        var text = string.Concat(Enumerable.Repeat(pattern, length))[..length];
        var envelope = ring.SealText(text, Message);
        var tampered = envelope.ToArray();
        tampered[^1] ^= 1;

        Assert.Equal(withinTheStackLimit, envelope.Length - DataKeyRing.EnvelopeOverhead <= DataKeyRing.StackPlaintextLimit);
        Assert.Equal(text, ring.OpenText(envelope, Message));
        Assert.ThrowsAny<CryptographicException>(() => ring.OpenText(tampered, Message));
    }

    /// <summary>
    /// The stored layout, built here with AES-GCM directly rather than by the ring, so a change to sealing and opening
    /// alike (the order of the associated data, the padding) cannot pass unnoticed: every value already stored would stop
    /// opening. Version 2, the key id (big-endian), a 12-byte nonce, the 16-byte tag, then the padded plaintext (a marker
    /// byte, the UTF-8 text, 0x80, zeros); authenticated with the 5-byte header followed by the column's binding.
    /// </summary>
    [Fact]
    public void A_bound_envelope_has_the_layout_values_were_stored_in()
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);
        var key = ring.Current;
        var text = "Nguyễn Văn An";
        byte[] header = [2, (byte)(key.Id >> 24), (byte)(key.Id >> 16), (byte)(key.Id >> 8), (byte)key.Id];
        byte[] associated = [.. header, .. Encoding.UTF8.GetBytes("KapPractice sealed value|Inquiries|FullName")];
        var utf8 = Encoding.UTF8.GetBytes(text);
        var padded = new byte[320]; // Name's fixed length: its 301 bytes and the 0x80, in whole 64-byte buckets
        padded[0] = 1;
        utf8.CopyTo(padded, 1);
        padded[1 + utf8.Length] = 0x80;
        using var aes = new AesGcm(key.Material, 16);

        var nonce = RandomNumberGenerator.GetBytes(12);
        var (ciphertext, tag) = (new byte[padded.Length], new byte[16]);
        aes.Encrypt(nonce, padded, ciphertext, tag, associated);
        Assert.Equal(text, ring.OpenText([.. header, .. nonce, .. tag, .. ciphertext], Name));

        var sealedByRing = ring.SealText(text, Name);
        var opened = new byte[sealedByRing.Length - 33];
        aes.Decrypt(sealedByRing.AsSpan(5, 12), sealedByRing.AsSpan(33), sealedByRing.AsSpan(17, 16), opened, associated);
        Assert.Equal(header, sealedByRing[..5]);
        Assert.Equal(padded, opened);
    }

    [Fact]
    public void The_same_text_seals_differently_each_time()
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);

        Assert.NotEqual(ring.SealText("same", Name), ring.SealText("same", Name));
    }

    [Fact]
    public void A_changed_byte_anywhere_in_an_envelope_is_refused()
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);
        var envelope = ring.SealText("answer", Name);

        for (var i = 0; i < envelope.Length; i++)
        {
            var tampered = envelope.ToArray();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => ring.OpenText(tampered, Name));
        }
    }

    [Fact]
    public void A_key_of_the_same_id_but_other_bytes_does_not_open_a_value_nor_its_check()
    {
        var ring = NewRing();
        var key = ring.CreateKey(DateTime.UtcNow);
        var envelope = ring.SealText("answer", Name);
        var check = DataKeyRing.CheckValue(key);
        var file = Directory.GetFiles(Path.Combine(_folder, "keys")).Single();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        json["key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(file, json.ToJsonString());

        var wrong = NewRing();

        Assert.True(wrong.Contains(key.Id));
        Assert.ThrowsAny<CryptographicException>(() => wrong.OpenText(envelope, Name));
        Assert.False(wrong.Opens(check));
        Assert.True(ring.Opens(check));
    }

    [Fact]
    public void After_a_new_key_old_values_still_open_and_new_ones_name_the_new_key()
    {
        var ring = NewRing();
        var first = ring.CreateKey(DateTime.UtcNow);
        var old = ring.SealText("before", Name);

        var second = ring.CreateKey(DateTime.UtcNow.AddDays(-1));

        Assert.Equal(second.Id, ring.Current.Id);
        Assert.Equal("before", ring.OpenText(old, Name));
        Assert.Equal(second.Id, DataKeyRing.KeyIdOf(ring.SealText("after", Name)));
        Assert.Equal(second.Id, NewRing().Current.Id);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void Every_value_of_a_fixed_column_and_its_absence_are_stored_at_one_length()
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);
        var choice = SealBinding.Fixed("Inquiries", "SubstanceUse", 1 + "CurrentlyAProblem".Length);

        var lengths = new[] { "NoConcern", "InRecovery", "CurrentlyAProblem", null }.Select(v => ring.SealText(v, choice).Length).Distinct();
        var names = new[] { "Al", "Nguyễn Văn An", new string('x', 100), new string('語', 100) }.Select(v => ring.SealText(v, Name).Length).Distinct();

        Assert.Single(lengths);
        Assert.Single(names);
    }

    [Fact]
    public void Free_text_is_stored_in_64_byte_buckets_of_its_length()
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);

        int Stored(int length) => ring.SealText(new string('a', length), Message).Length;

        // A marker byte and the padding mark travel with the text: 62 bytes of text fill the first bucket.
        Assert.Equal(Stored(0), Stored(62));
        Assert.Equal(Stored(0) + 64, Stored(63));
        Assert.Equal(Stored(63), Stored(126));
        Assert.Equal(Stored(0), ring.SealText(null, Message).Length);
        Assert.Equal("a long one " + new string('b', 500), ring.OpenText(ring.SealText("a long one " + new string('b', 500), Message), Message));
    }

    [Fact]
    public void A_value_moved_to_another_column_or_table_does_not_open()
    {
        var ring = NewRing();
        ring.CreateKey(DateTime.UtcNow);
        var answer = SealBinding.Fixed("Inquiries", "SelfHarmThoughts", 4);
        var envelope = ring.SealText("Yes", answer);

        Assert.Equal("Yes", ring.OpenText(envelope, answer));
        Assert.ThrowsAny<CryptographicException>(() => ring.OpenText(envelope, SealBinding.Fixed("Inquiries", "PsychoticDisorder", 4)));
        Assert.ThrowsAny<CryptographicException>(() => ring.OpenText(envelope, SealBinding.Fixed("InquiryNotes", "SelfHarmThoughts", 4)));
    }

    [Fact]
    public void The_address_hash_ignores_case_and_spaces_and_differs_per_key()
    {
        var ring = NewRing();
        var first = ring.CreateKey(DateTime.UtcNow);
        var hash = ring.AddressHash(" Alex@Example.com ");

        Assert.Equal(hash, ring.AddressHash("alex@example.com"));
        Assert.NotEqual(hash, ring.AddressHash("alex@example.org"));
        ring.CreateKey(DateTime.UtcNow);
        Assert.NotEqual(hash, ring.AddressHash("alex@example.com"));
        Assert.Contains(DataKeyRing.AddressHash(first, "alex@example.com"), ring.AddressHashes("ALEX@example.com"));
    }

    [Fact]
    public void A_file_in_the_key_folder_that_is_not_a_key_stops_loading_with_a_message_naming_the_setting()
    {
        var keys = Path.Combine(_folder, "keys");
        Directory.CreateDirectory(keys);
        File.WriteAllText(Path.Combine(keys, "data-key-0badc0de.json"), "{ not a key");

        var stop = Assert.Throws<EncryptionKeyException>(() => NewRing(keys));

        Assert.Contains("Encryption:KeyDirectory", stop.Message, StringComparison.Ordinal);
        Assert.Contains("data-key-0badc0de.json", stop.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
