using System.Text;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// Protects the Data Protection key ring (which signs cookies and form tokens) at rest with the data key, so the
/// files in the data folder's keys/ are ciphertext like the database.
/// </summary>
public sealed class KeyRingXmlEncryptor(DataKeyRing ring) : IXmlEncryptor
{
    public const string ElementName = "encryptedWithDataKey";
    public const string KeyIdAttribute = "dataKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        return new EncryptedXmlInfo(Seal(ring.Current, plaintextElement), typeof(KeyRingXmlDecryptor));
    }

    internal static XElement Seal(DataKey key, XElement plaintextElement)
    {
        var envelope = DataKeyRing.Protect(key, Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        return new XElement(ElementName, new XAttribute(KeyIdAttribute, key.Name), Convert.ToBase64String(envelope));
    }

    /// <summary>
    /// Seals again, with the current data key, the key files of <paramref name="folder"/> sealed with an older one (after
    /// a rotation), in place and owner-only. Returns how many files were rewritten.
    /// </summary>
    public static int ResealFiles(string folder, DataKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var rewritten = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml"))
        {
            var document = XDocument.Load(file, LoadOptions.PreserveWhitespace);
            if (!Reseal(document, ring))
            {
                continue;
            }

            using var buffer = new MemoryStream();
            document.Save(buffer, SaveOptions.DisableFormatting);
            OwnerOnlyFiles.WriteAllBytes(file, buffer.ToArray());
            rewritten++;
        }

        return rewritten;
    }

    /// <summary>Seals again, in the document, the secrets sealed with an older data key; false when none was.</summary>
    public static bool Reseal(XDocument document, DataKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(ring);
        var sealedElements = document.Descendants(ElementName)
            .Where(e => (string?)e.Attribute(KeyIdAttribute) != ring.Current.Name)
            .ToList();
        foreach (var element in sealedElements)
        {
            element.ReplaceWith(Seal(ring.Current, KeyRingXmlDecryptor.Open(ring, element)));
        }

        return sealedElements.Count > 0;
    }
}

/// <summary>As <see cref="KeyRingXmlEncryptor.ResealFiles"/>, for the key ring PostgreSQL keeps in the database.</summary>
public static class KeyRingXmlDatabase
{
    public static async Task<int> ResealRowsAsync(PostgreSqlKapDbContext db, DataKeyRing ring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rewritten = 0;
        foreach (var row in await db.DataProtectionKeys.Where(k => k.Xml != null).ToListAsync(cancellationToken))
        {
            var document = XDocument.Parse(row.Xml!, LoadOptions.PreserveWhitespace);
            if (KeyRingXmlEncryptor.Reseal(document, ring))
            {
                row.Xml = document.ToString(SaveOptions.DisableFormatting);
                rewritten++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return rewritten;
    }
}

/// <summary>Made by Data Protection itself (through the service provider) when it reads a key file back.</summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        return Open(services.GetRequiredService<DataKeyRing>(), encryptedElement);
    }

    internal static XElement Open(DataKeyRing ring, XElement encryptedElement) =>
        XElement.Parse(Encoding.UTF8.GetString(ring.Unprotect(Convert.FromBase64String(encryptedElement.Value))));
}

/// <summary>The Data Protection key files, stored as the file-system repository stores them, but owner-only.</summary>
public sealed class OwnerOnlyXmlRepository : IXmlRepository
{
    private readonly DirectoryInfo _folder;
    private readonly FileSystemXmlRepository _files;

    public OwnerOnlyXmlRepository(DirectoryInfo folder, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(folder);
        // Made owner-only here, before the file-system repository would make it with the umask's mode.
        OwnerOnlyFiles.CreateFolder(folder.FullName);
        _folder = folder;
        _files = new FileSystemXmlRepository(folder, loggerFactory);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        foreach (var file in _folder.EnumerateFiles("*.xml"))
        {
            OwnerOnlyFiles.Restrict(file.FullName);
        }
    }
}
