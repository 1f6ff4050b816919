using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using KapPractice.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KapPractice.Web.Infrastructure.Data.Encryption;

/// <summary>
/// Which columns hold ciphertext, and the value converters that write and read them. Everything on an inquiry is
/// sealed except its id, times, follow-up status and spam flag: every answer, the screening outcome and its reasons
/// included; of notes the text, of replies the subject and body, of outbox rows the recipient and the last error.
/// Each column has one <see cref="SealBinding"/>: its values open in that column only, and are padded to one length
/// (choices, lists, names, addresses) or to 64-byte buckets (free text). A property added to the inquiry later is
/// sealed by default, and one of a type this file does not know stops the model from building until it is placed.
/// </summary>
public static class ClientDataModel
{
    public const string EncryptedAnnotation = "KapPractice:Encrypted";
    public const string AddressHashOfAnnotation = "KapPractice:AddressHashOf";
    /// <summary>The keyed hash of an outbox row's recipient, for "one acknowledgement per address per day".</summary>
    public const string RecipientHash = nameof(RecipientHash);

    /// <summary>
    /// The column (table and column name) a value is bound to, from the names the model gives it. Renaming a table or
    /// column makes every value in it unreadable: a rename needs a binding that keeps the old name, or a re-seal.
    /// </summary>
    public const string BindingAnnotation = "KapPractice:SealedAs";

    /// <summary>
    /// The screening reasons, as a JSON list, are padded to this many bytes: their number and length would tell how many
    /// contraindications a client has. A unit test checks that every combination the rules can give fits.
    /// </summary>
    public const int ScreeningReasonsLength = 2560;

    /// <summary>The inquiry property that stays readable besides ids, times and flags: the follow-up status, which the list filters on.</summary>
    private static readonly HashSet<string> ClearInquiryProperties = [nameof(Inquiry.Status)];

    /// <summary>
    /// Names, addresses, phone numbers and the spam reason, padded to one length for the whole column: their limit in
    /// UTF-16 units, each at most 3 UTF-8 bytes. Everything else a person typed is free text, in 64-byte buckets.
    /// </summary>
    private static readonly Dictionary<(Type, string), int> ShortTexts = new()
    {
        [(typeof(Inquiry), nameof(Inquiry.FullName))] = TextLimits.FullName,
        [(typeof(Inquiry), nameof(Inquiry.Pronouns))] = TextLimits.Pronouns,
        [(typeof(Inquiry), nameof(Inquiry.Email))] = TextLimits.Email,
        [(typeof(Inquiry), nameof(Inquiry.Phone))] = TextLimits.Phone,
        // Not typed by the client, but its length told which check tripped, and with the clear spam flag (never set on
        // an urgent inquiry) which inquiries were urgent.
        [(typeof(Inquiry), nameof(Inquiry.SpamReason))] = TextLimits.SpamReason,
        [(typeof(OutboxMessage), nameof(OutboxMessage.Recipient))] = TextLimits.Email,
    };

    /// <summary>The bindings of every sealed column, by "Table.Column", for the re-sealing pass (the same in every model).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SealBinding> Bindings = new(StringComparer.Ordinal);

    public static void EncryptClientData(this ModelBuilder builder, ModelKeyRingSeat seat)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(seat);
        var inquiry = builder.Entity<Inquiry>();
        foreach (var property in inquiry.Metadata.GetProperties().ToList())
        {
            if (!property.IsKey() && !property.IsForeignKey() && !ClearInquiryProperties.Contains(property.Name) && !IsClearByType(property.ClrType))
            {
                Encrypt(inquiry, property, seat, hideNull: true);
            }
        }

        var note = builder.Entity<InquiryNote>();
        Encrypt(note, note.Metadata.FindProperty(nameof(InquiryNote.Text))!, seat, hideNull: false);

        // What the practitioner wrote to a client; templates and referrals are hers alone and stay clear.
        var reply = builder.Entity<InquiryReply>();
        Encrypt(reply, reply.Metadata.FindProperty(nameof(InquiryReply.Subject))!, seat, hideNull: false);
        Encrypt(reply, reply.Metadata.FindProperty(nameof(InquiryReply.Body))!, seat, hideNull: false);
        // What the practitioner wrote to a client when she cancelled a consultation.
        var booking = builder.Entity<Booking>();
        Encrypt(booking, booking.Metadata.FindProperty(nameof(Booking.CancelMessage))!, seat, hideNull: false);

        var message = builder.Entity<OutboxMessage>();
        Encrypt(message, message.Metadata.FindProperty(nameof(OutboxMessage.Recipient))!, seat, hideNull: false);
        // A server's refusal can quote the address it refused.
        Encrypt(message, message.Metadata.FindProperty(nameof(OutboxMessage.LastError))!, seat, hideNull: false);
        message.Property<byte[]>(RecipientHash).HasAnnotation(AddressHashOfAnnotation, nameof(OutboxMessage.Recipient));
        message.HasIndex(nameof(OutboxMessage.Kind), RecipientHash, nameof(OutboxMessage.CreatedUtc));

        // The authenticator key and the recovery codes: with them, a copy of the file would be a second factor.
        var token = builder.Entity<IdentityUserToken<string>>();
        Encrypt(token, token.Metadata.FindProperty(nameof(IdentityUserToken<string>.Value))!, seat, hideNull: false);
    }

    /// <summary>The encrypted columns of every table, read from the model, for the re-encryption passes.</summary>
    public static IReadOnlyList<EncryptedTable> EncryptedTables(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tables = new List<EncryptedTable>();
        foreach (var entity in model.GetEntityTypes())
        {
            var columns = entity.GetProperties()
                .Where(p => p.FindAnnotation(EncryptedAnnotation) is not null)
                .Select(p => new EncryptedColumn(p.GetColumnName(), p.GetValueConverter()!.ConvertsNulls, BindingOf(p)))
                .ToList();
            if (columns.Count == 0)
            {
                continue;
            }

            var hash = entity.GetProperties().FirstOrDefault(p => p.FindAnnotation(AddressHashOfAnnotation) is not null);
            var hashSource = hash is null ? null : entity.FindProperty((string)hash.FindAnnotation(AddressHashOfAnnotation)!.Value!)!.GetColumnName();
            // The passes walk a table in the order of its primary key, one column or several (works on both providers).
            var key = entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()).ToList();
            tables.Add(new EncryptedTable(entity.GetTableName()!, key, columns, hash?.GetColumnName(), hashSource));
        }

        return tables;
    }

    private static bool IsClearByType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset) || underlying == typeof(bool)
            || underlying == typeof(int) || underlying == typeof(long);
    }

    private static void Encrypt(EntityTypeBuilder entity, IMutableProperty property, ModelKeyRingSeat seat, bool hideNull)
    {
        var type = property.ClrType;
        var nullable = Nullable.GetUnderlyingType(type);
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        var table = entity.Metadata.GetTableName()!;
        var column = property.GetColumnName();
        var choice = type.IsEnum ? type : nullable is { IsEnum: true } ? nullable : null;
        var binding = Bindings.GetOrAdd($"{table}.{column}", _ =>
            choice is not null ? SealBinding.Fixed(table, column, 1 + LongestName(choice))
            : element is { IsEnum: true } ? SealBinding.Fixed(table, column, 1 + LongestList(element))
            : element == typeof(string) && property.Name == nameof(Inquiry.ScreeningReasons) ? SealBinding.Fixed(table, column, ScreeningReasonsLength - 1)
            : ShortTexts.TryGetValue((entity.Metadata.ClrType, property.Name), out var limit) ? SealBinding.Fixed(table, column, 1 + (3 * limit))
            : SealBinding.FreeText(table, column));
        var converter = type == typeof(string) ? ClientDataConverters.Text(seat, binding, hideNull && property.IsNullable)
            : type.IsEnum ? Generic(nameof(ClientDataConverters.Enum), type, seat, binding)
            : nullable is { IsEnum: true } ? Generic(nameof(ClientDataConverters.NullableEnum), nullable, seat, binding)
            : element is { IsEnum: true } ? Generic(nameof(ClientDataConverters.EnumList), element, seat, binding)
            : element == typeof(string) ? ClientDataConverters.TextList(seat, binding)
            : throw new InvalidOperationException(
                $"{property.DeclaringType.DisplayName()}.{property.Name} is a {type.Name}: decide whether it is encrypted (ClientDataModel) or clear before it stores client data.");

        var builder = entity.Property(property.Name);
        builder.HasConversion(converter);
        if (element is not null)
        {
            builder.Metadata.SetValueComparer((ValueComparer)typeof(ClientDataConverters).GetMethod(nameof(ClientDataConverters.ListComparer))!
                .MakeGenericMethod(element).Invoke(null, null)!);
        }

        builder.Metadata.SetMaxLength(null);
        builder.HasAnnotation(EncryptedAnnotation, true);
        builder.HasAnnotation(BindingAnnotation, binding.ToString());
    }

    /// <summary>The binding of a sealed property, as its converter uses it.</summary>
    public static SealBinding BindingOf(IReadOnlyProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return Bindings[(string)property.FindAnnotation(BindingAnnotation)!.Value!];
    }

    /// <summary>The UTF-8 length of the longest choice's name.</summary>
    private static int LongestName(Type choice) => Enum.GetNames(choice).Max(System.Text.Encoding.UTF8.GetByteCount);

    /// <summary>The UTF-8 length of a list holding every choice once, as the converter writes it.</summary>
    private static int LongestList(Type choice) =>
        System.Text.Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(Enum.GetNames(choice)));

    private static ValueConverter Generic(string method, Type typeArgument, ModelKeyRingSeat seat, SealBinding binding) =>
        (ValueConverter)typeof(ClientDataConverters).GetMethod(method)!.MakeGenericMethod(typeArgument).Invoke(null, [seat, binding])!;
}

public sealed record EncryptedColumn(string Name, bool HidesNull, SealBinding Binding);

public sealed record EncryptedTable(string Name, IReadOnlyList<string> Key, IReadOnlyList<EncryptedColumn> Columns, string? HashColumn, string? HashSource);
