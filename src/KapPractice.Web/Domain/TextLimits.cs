namespace KapPractice.Web.Domain;

/// <summary>
/// How long each stored text may be: the form's validator and the admin area refuse anything longer,
/// and the database columns are made this size from the same numbers.
/// </summary>
public static class TextLimits
{
    public const int FullName = 100;
    public const int Pronouns = 40;
    /// <summary>The longest address SMTP allows.</summary>
    public const int Email = 254;
    public const int Phone = 40;
    /// <summary>"Something else" and "another medication", in the client's words.</summary>
    public const int OtherText = 200;
    public const int Message = 2000;
    public const int SpamReason = 200;
    public const int Note = 4000;
    /// <summary>An admin account's name (its email), as note author and audit actor: Identity's own column size.</summary>
    public const int AccountName = 256;
    public const int MessageId = 200;
    /// <summary>The last delivery error kept on an outbox row (a server's reply can be long).</summary>
    public const int DeliveryError = 1000;
    /// <summary>A reply's subject, as typed or from a template; also a template's subject.</summary>
    public const int ReplySubject = 150;
    /// <summary>A reply's text (before the signature and crisis line are added); also a template's.</summary>
    public const int ReplyBody = 10000;
    public const int TemplateName = 100;
    public const int ReferralName = 150;
    public const int ReferralPurpose = 300;
    public const int ReferralContact = 300;
}
