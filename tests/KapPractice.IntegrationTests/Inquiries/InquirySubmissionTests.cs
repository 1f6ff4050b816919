using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using KapPractice.Web.Domain;

namespace KapPractice.IntegrationTests.Inquiries;

[Collection(SharedInquiryApp.Name)]
public class InquirySubmissionTests(InquiryAppFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_valid_submission_is_stored_screened_queued_for_email_and_redirected_to_the_confirmation()
    {
        var client = factory.NewClient();
        var email = $"{Guid.NewGuid():N}@example.com";

        var response = await client.SubmitInquiryAsync(InquiryForms.Valid("Alex Rivera", email,
            i => { i.Medications = [Medication.Opioids]; i.Bipolar = YesNoNotSure.Yes; i.ManicOrMixedEpisode = YesNoNotSure.No; }));

        InquiryForms.AssertRedirectedToConfirmation(response);
        var inquiry = Assert.Single(await factory.InquiriesAsync(), i => i.Email == email);
        Assert.Equal("Alex Rivera", inquiry.FullName);
        Assert.Equal("they/them", inquiry.Pronouns);
        Assert.Null(inquiry.Phone);
        Assert.Equal([Concern.Depression, Concern.Anxiety], inquiry.Concerns);
        Assert.Equal([Medication.Opioids], inquiry.Medications);
        Assert.Equal(YesNoNotSure.No, inquiry.ManicOrMixedEpisode);
        Assert.Equal(ScreeningOutcome.NeedsMedicalReview, inquiry.Outcome);
        Assert.Equal(["Needs medical review: Bipolar disorder, no current manic or mixed episode.", "Needs medical review: Takes opioids."], inquiry.ScreeningReasons);
        Assert.False(inquiry.IsSuspectedSpam);
        Assert.Equal(InquiryStatus.New, inquiry.Status);
        Assert.Equal(DateTimeKind.Utc, inquiry.ReceivedUtc.Kind);
        Assert.InRange(inquiry.ReceivedUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(inquiry.ReceivedUtc, inquiry.ConsentsGivenUtc);
        Assert.Equal(
            [(OutboxKind.PractitionerNotification, "leslie@intuitivecreativeartstherapy.com"), (OutboxKind.ClientAcknowledgement, email)],
            inquiry.OutboxMessages.OrderBy(m => m.Kind).Select(m => (m.Kind, m.Recipient)));

        var confirmation = await client.GetDocumentAsync("/inquiry/thank-you");
        Assert.Equal("Thank you, your inquiry was sent", confirmation.TextOf("h1"));
        Assert.Contains("Leslie replies within 2 business days", confirmation.TextOf("main"), StringComparison.Ordinal);
        Assert.DoesNotContain("eligib", confirmation.TextOf("main"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not a fit", confirmation.TextOf("main"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_urgent_submission_is_confirmed_with_crisis_resources_before_anything_else()
    {
        var client = factory.NewClient();

        var response = await client.SubmitInquiryAsync(InquiryForms.Valid(email: "urgent@example.com", change: i => i.SelfHarmThoughts = YesNo.Yes));

        InquiryForms.AssertRedirectedToConfirmation(response);
        Assert.Equal(ScreeningOutcome.Urgent, (await factory.InquiriesAsync()).Single(i => i.Email == "urgent@example.com").Outcome);
        Assert.DoesNotContain("urgent", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);

        var confirmation = await client.GetDocumentAsync("/inquiry/thank-you");
        var first = confirmation.QuerySelector("main .inquiry")!.FirstElementChild!;
        Assert.Equal("urgent-help", first.ClassName);
        Assert.Contains("help is available right now", first.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var text = first.TextContent;
        Assert.Contains("988", text, StringComparison.Ordinal);
        Assert.Contains("HOME to 741741", text, StringComparison.Ordinal);
        Assert.Contains("911", text, StringComparison.Ordinal);
        Assert.Single(confirmation.QuerySelectorAll("h1"));

        // Once shown, the flag is spent: the ordinary confirmation does not lead with it.
        var again = await client.GetDocumentAsync("/inquiry/thank-you");
        Assert.Null(again.QuerySelector(".urgent-help"));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_with_400_and_stores_nothing()
    {
        var client = factory.NewClient();
        var before = await factory.CountAsync();

        var response = await client.PostRawAsync(InquiryForms.Encode(InquiryForms.Valid()), "__RequestVerificationToken");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Something in that request was not right", page.TextOf("h1"));
        Assert.Equal(before, await factory.CountAsync());
    }

    public static TheoryData<string, string, string> InvalidAnswers => new()
    {
        { "FullName=", "FullName", "Enter your full name" },
        { "FullName=" + new string('a', 101), "FullName", "Your name must be 100 characters or fewer" },
        { "FullName=Alex\u0001Rivera", "FullName", "Your name contains characters we cannot accept" },
        { "Email=not-an-email", "Email", "Enter an email address in the correct format" },
        { "Email=" + new string('a', 250) + "@example.com", "Email", "Your email address must be 254 characters or fewer" },
        { "Pronouns=" + new string('p', 41), "Pronouns", "Your pronouns must be 40 characters or fewer" },
        { "PreferredContact=Phone", "Phone", "Enter a phone number, or choose email" },
        { "-InNewYork", "InNewYork", "Select whether you will be in New York State during sessions" },
        { "InNewYork=Maybe", "InNewYork", "Select whether you will be in New York State during sessions" },
        { "Concerns=Other", "ConcernOther", "Describe what else brings you here" },
        { "-Concerns", "Concerns", "Select at least one thing that brings you here" },
        { "Concerns=Nope", "Concerns", "Select" },
        { "TreatmentsTried=None; Concerns=Grief; -Message", "TreatmentsTried", "" },
        { "Bipolar=NotSure", "ManicOrMixedEpisode", "select whether you are in a manic or mixed episode now" },
        { "Medications=Other", "MedicationOther", "Enter the other medications you take" },
        { "-SeizuresOrEpilepsy", "SeizuresOrEpilepsy", "Select whether you have ever had a seizure or been diagnosed with epilepsy" },
        { "-DissociativeDisorder", "DissociativeDisorder", "Select whether you have been diagnosed with a dissociative disorder" },
        { "-FamilyPsychoticDisorder", "FamilyPsychoticDisorder", "Select whether a parent, brother, sister or child of yours has been diagnosed with a psychotic disorder" },
        { "SubstanceUse=InRecovery; -SubstanceUseLastProblem", "SubstanceUseLastProblem", "Select when alcohol or drug use was last a problem for you, or Never" },
        { "SubstanceUseLastProblem=Sometimes", "SubstanceUseLastProblem", "Select when alcohol or drug use was last a problem for you, or Never" },
        { "Message=" + new string('m', 2001), "Message", "Your message must be 2000 characters or fewer" },
        { "-ConsentNotForEmergencies", "ConsentNotForEmergencies", "Confirm that you understand this form is not for emergencies" },
        { "-ConsentPrivacyNotice", "ConsentPrivacyNotice", "Confirm that you have read the privacy notice" },
        { "-ConsentNoTherapyRelationship", "ConsentNoTherapyRelationship", "Confirm that sending this form does not start a therapy relationship" },
        { "-ConsentMedicalEvaluation", "ConsentMedicalEvaluation", "separate medical evaluation" },
        { "ConsentContact=maybe", "ConsentContact", "Confirm that we may contact you by the method you chose" },

        // A single choice is exactly one of its names: a comma list or a number never binds to another answer.
        { "PreferredContact=Email,Phone", "PreferredContact", "Select how you would like to be contacted" },
        { "PreferredContact=1", "PreferredContact", "Select how you would like to be contacted" },
        { "PreferredContact=7", "PreferredContact", "Select how you would like to be contacted" },
        { "VoicemailOk=Yes,No", "VoicemailOk", "Select whether we may leave a voicemail" },
        { "VoicemailOk=0", "VoicemailOk", "Select whether we may leave a voicemail" },
        { "Concerns=Depression,Anxiety", "Concerns", "Select" },

        // Names that would show as something else: an encoded word a mail client decodes, direction overrides, invisible characters.
        { "FullName==?UTF-8?B?TGVzbGllIFBvcnRpbGxv?=", "FullName", "email programs" },
        { "FullName=Alex =?iso-8859-1?q?Rivera?=", "FullName", "email programs" },
        { "FullName=\u202EareviR xelA", "FullName", "invisible characters or characters that change the direction" },
        { "FullName=Alex\u2066 Rivera\u2069", "FullName", "invisible characters or characters that change the direction" },
        { "FullName=Al\u200Bex Rivera", "FullName", "invisible characters or characters that change the direction" },
        { "FullName=\uFEFFAlex Rivera", "FullName", "invisible characters or characters that change the direction" },
        { "FullName=Alex\u2060Rivera", "FullName", "invisible characters or characters that change the direction" },
        { "Pronouns=she\u202Eher", "Pronouns", "invisible characters or characters that change the direction" },
    };

    [Theory]
    [MemberData(nameof(InvalidAnswers))]
    public async Task An_invalid_answer_is_shown_in_the_summary_and_beside_its_field_with_answers_kept_and_nothing_stored(string change, string field, string message)
    {
        // The row with an empty message is a valid form, used to prove the table can tell valid from invalid.
        if (message.Length == 0)
        {
            InquiryForms.AssertRedirectedToConfirmation(await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid().With(change)));
            return;
        }

        var client = factory.NewClient();
        var before = await factory.CountAsync();

        var posted = InquiryForms.Valid("Siobhán O'Brien", "siobhan@example.com").With(change);
        var response = await client.SubmitInquiryAsync(posted);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        var summary = page.QuerySelector(".error-summary[role=alert]")!;
        Assert.Equal("There is a problem", summary.QuerySelector("h2")!.TextContent.Trim());
        var link = summary.QuerySelector($"a[href='#{field}']")!;
        Assert.Contains(message, link.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(page.GetElementById(field));
        Assert.Contains(message, page.TextOf($"#{field}-error"), StringComparison.OrdinalIgnoreCase);

        // Answers are kept: every other text, radio and checkbox as the person left it.
        foreach (var (key, value) in posted.Where(f => f.Key != field && f.Key != "Website"))
        {
            if (page.QuerySelectorAll<IHtmlInputElement>($"input[name={key}]").FirstOrDefault(i => i.Value == value) is { Type: "radio" or "checkbox" } choice)
            {
                Assert.True(choice.IsChecked, $"{key}={value} should stay selected");
            }
            else if (page.QuerySelector($"input[type=text][name={key}], input[type=email][name={key}], textarea[name={key}]") is { } text)
            {
                Assert.Equal(value, (text as IHtmlInputElement)?.Value ?? text.TextContent);
            }
        }

        Assert.NotEmpty(page.QuerySelector<IHtmlInputElement>("input[name=FillToken]")!.Value);
        Assert.Equal(before, await factory.CountAsync());
    }

    [Fact]
    public async Task Several_errors_are_listed_in_the_order_of_the_questions()
    {
        var response = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(change: i => { i.ConsentContact = false; i.FullName = ""; i.Adult = null; i.Email = "x"; }));

        var page = await Html.ParseAsync(response);
        var targets = page.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#FullName", "#Email", "#Adult", "#ConsentContact"], targets);
    }

    [Theory]
    [InlineData("José Álvarez")]
    [InlineData("Nguyễn Văn An")]
    [InlineData("Siobhán O'Brien")]
    [InlineData("李小龍")]
    [InlineData("محمد الأحمد")]
    [InlineData("Zoë Ødegård-Łukasiewicz")]
    public async Task Names_in_any_script_are_stored_intact(string name)
    {
        var email = $"{Guid.NewGuid():N}@example.com";

        var response = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid("  " + name + " ", email));

        InquiryForms.AssertRedirectedToConfirmation(response);
        Assert.Equal(name, (await factory.InquiriesAsync()).Single(i => i.Email == email).FullName);
    }

    [Fact]
    public async Task Script_and_sql_in_answers_are_stored_as_plain_text_and_shown_encoded()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        const string script = "<script>alert('x')</script>";
        const string sql = "Robert'); DROP TABLE Inquiries;--";

        var invalid = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(script, "bad", i => i.Message = sql));
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.DoesNotContain(script, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);

        var response = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(script, email, i => i.Message = sql));

        InquiryForms.AssertRedirectedToConfirmation(response);
        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.Equal(script, stored.FullName);
        Assert.Equal(sql, stored.Message);
    }

    [Fact]
    public async Task A_filled_honeypot_is_stored_as_suspected_spam_not_emailed_and_confirmed_as_usual()
    {
        var email = $"{Guid.NewGuid():N}@example.com";

        var response = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: email, change: i => i.Website = "https://cheap-pills.example"));

        InquiryForms.AssertRedirectedToConfirmation(response);
        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.True(stored.IsSuspectedSpam);
        Assert.Contains("honeypot", stored.SpamReason, StringComparison.Ordinal);
        Assert.Empty(stored.OutboxMessages);
    }

    [Theory]
    [InlineData("-FillToken", "missing")]
    [InlineData("FillToken=CfDJ8forged", "invalid or tampered")]
    public async Task A_missing_or_forged_fill_time_is_stored_as_suspected_spam_without_email(string change, string reason)
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        var client = factory.NewClient();

        var fields = InquiryForms.Valid(email: email).With(change);
        var response = change.StartsWith('-')
            ? await client.PostRawAsync(InquiryForms.Encode(fields), "FillToken")
            : await client.SubmitInquiryAsync(fields);

        InquiryForms.AssertRedirectedToConfirmation(response);
        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.True(stored.IsSuspectedSpam);
        Assert.Contains(reason, stored.SpamReason, StringComparison.Ordinal);
        Assert.Empty(stored.OutboxMessages);
    }

    [Theory]
    [InlineData("Website=https://autofilled.example", "honeypot")]
    [InlineData("FillToken=CfDJ8forged", "invalid or tampered")]
    public async Task An_urgent_submission_that_trips_a_spam_signal_is_still_emailed_and_listed_as_urgent(string change, string reason)
    {
        // Password managers fill honeypots: a person at risk must never be filtered out as spam.
        var email = $"{Guid.NewGuid():N}@example.com";

        var response = await factory.NewClient().SubmitInquiryAsync(InquiryForms.Valid(email: email, change: i => i.SelfHarmThoughts = YesNo.Yes).With(change));

        InquiryForms.AssertRedirectedToConfirmation(response);
        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.Equal(ScreeningOutcome.Urgent, stored.Outcome);
        Assert.False(stored.IsSuspectedSpam);
        Assert.Contains(reason, stored.SpamReason, StringComparison.Ordinal);
        Assert.Equal(
            [OutboxKind.PractitionerNotification, OutboxKind.ClientAcknowledgement],
            stored.OutboxMessages.OrderBy(m => m.Kind).Select(m => m.Kind));
    }

    public static TheoryData<string> OverLimitBodies => new()
    {
        InquiryForms.Encode(InquiryForms.Valid(change: i => i.Message = new string('a', 1024 * 1024))),
        InquiryForms.Encode(InquiryForms.Valid()) + string.Concat(Enumerable.Range(0, 500).Select(i => $"&f{i}=1")),
        InquiryForms.Encode(InquiryForms.Valid()) + "&" + new string('k', 5000) + "=1",
    };

    [Theory]
    [MemberData(nameof(OverLimitBodies))]
    public async Task A_body_over_a_size_or_count_limit_gets_413_and_stores_nothing(string body)
    {
        var before = await factory.CountAsync();

        var response = await factory.NewClient().PostRawAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("That was too much to send", (await Html.ParseAsync(response)).TextOf("h1"));
        Assert.Equal(before, await factory.CountAsync());
    }

    public static TheoryData<string, string, string> BrokenBodies => new()
    {
        { "truncated multipart", "multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"FullName\"\r\n\r\nAlex\r\n" },
        { "multipart without a boundary", "multipart/form-data", "--zz\r\nContent-Disposition: form-data; name=\"FullName\"\r\n\r\nAlex\r\n--zz--\r\n" },
        { "multipart with a malformed part", "multipart/form-data; boundary=zz", "--zz\r\nno headers here\r\n\r\n" },
        { "JSON", "application/json", "{\"FullName\":\"Alex\"}" },
        { "plain text", "text/plain", "FullName=Alex" },
        { "empty form body", "application/x-www-form-urlencoded", "" },
        { "a percent-encoded NUL", "application/x-www-form-urlencoded", InquiryForms.Encode(InquiryForms.Valid().With("-FullName")) + "&FullName=a%00b" },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task A_broken_body_gets_400_with_the_friendly_page_and_stores_nothing(string description, string contentType, string body)
    {
        var before = await factory.CountAsync();

        var response = await factory.NewClient().PostBodyAsync(contentType, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{description}: {(int)response.StatusCode}");
        Assert.Equal("Something in that request was not right", (await Html.ParseAsync(response)).TextOf("h1"));
        Assert.Equal(before, await factory.CountAsync());
    }

    public static TheoryData<string, string> HostileBodies => new()
    {
        { "control characters", InquiryForms.Encode(InquiryForms.Valid("\u0000\u0007\u001b[31mred")) },
        { "broken UTF-8 bytes", InquiryForms.Encode(InquiryForms.Valid().With("-FullName")) + "&FullName=Jos\u00e9\u00ff\u00fe" },
        { "broken percent-encoding", InquiryForms.Encode(InquiryForms.Valid().With("-FullName")) + "&FullName=Jos%C3%28%FF%E2%82" },
        { "truncated percent-encoding", InquiryForms.Encode(InquiryForms.Valid().With("-FullName")) + "&FullName=Alex%" },
        { "duplicate fields", InquiryForms.Encode(InquiryForms.Valid()) + "&FullName=Second&Email=second@example.com&Adult=No&ConsentContact=false" },
        { "unknown enum value", InquiryForms.Encode(InquiryForms.Valid().With("InNewYork=Maybe")) },
        { "numeric enum out of range", InquiryForms.Encode(InquiryForms.Valid().With("BloodPressure=99; Medications=-1")) },
        { "non-boolean consent", InquiryForms.Encode(InquiryForms.Valid().With("ConsentPrivacyNotice=yes please")) },
        { "indexed list syntax", InquiryForms.Encode(InquiryForms.Valid().With("-Concerns")) + "&Concerns[0]=Grief&Concerns[99999999]=Ocd" },
        { "nested property syntax", InquiryForms.Encode(InquiryForms.Valid()) + "&FullName.Length=5&Concerns.Capacity=9" },
        { "1 MB field", InquiryForms.Encode(InquiryForms.Valid(change: i => i.Pronouns = new string('x', 1024 * 1024))) },
        { "very long key", InquiryForms.Encode(InquiryForms.Valid()) + "&" + new string('k', 5000) + "=1" },
        { "too many fields", InquiryForms.Encode(InquiryForms.Valid()) + string.Concat(Enumerable.Range(0, 500).Select(i => $"&f{i}=1")) },
        { "script and SQL", InquiryForms.Encode(InquiryForms.Valid(change: i => { i.Pronouns = "<img src=x onerror=alert(1)>"; i.Phone = "1'; DROP TABLE Inquiries;--"; })) },
        { "only ampersands and equals", "&&&===&=&" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_input_gets_a_message_or_a_4xx_never_a_5xx_and_never_a_half_stored_row(string description, string body)
    {
        var before = await factory.InquiriesAsync();

        var response = await factory.NewClient().PostRawAsync(body);

        Assert.True((int)response.StatusCode < 500, $"{description}: {(int)response.StatusCode}");
        var after = await factory.InquiriesAsync();
        if (response.StatusCode == HttpStatusCode.SeeOther)
        {
            // Stored only whole: every required answer, its screening and its emails.
            var stored = Assert.Single(after, a => before.All(b => b.Id != a.Id));
            Assert.False(string.IsNullOrWhiteSpace(stored.FullName));
            Assert.NotEmpty(stored.OutboxMessages);
            Assert.DoesNotContain(stored.FullName, char.IsControl);
        }
        else
        {
            Assert.Equal(before.Count, after.Count);
        }
    }

    [Fact]
    public async Task Duplicate_fields_take_the_first_value()
    {
        var email = $"{Guid.NewGuid():N}@example.com";

        var response = await factory.NewClient().PostRawAsync(InquiryForms.Encode(InquiryForms.Valid("First Name", email)) + "&FullName=Second&Adult=No");

        InquiryForms.AssertRedirectedToConfirmation(response);
        var stored = (await factory.InquiriesAsync()).Single(i => i.Email == email);
        Assert.Equal("First Name", stored.FullName);
        Assert.Equal(YesNo.Yes, stored.Adult);
    }
}

/// <summary>The same on PostgreSQL: what is stored, and what is not.</summary>
[Collection(nameof(InquirySubmissionTestsOnPostgreSql))] // its own app, not the SQLite one its base class names
public sealed class InquirySubmissionTestsOnPostgreSql(PostgreSqlInquiryAppFactory factory) : InquirySubmissionTests(factory), IClassFixture<PostgreSqlInquiryAppFactory>;
