using System.Collections;
using System.Data.Common;
using FluentValidation;
using KapPractice.IntegrationTests.Inquiries;
using KapPractice.Web.Domain;
using KapPractice.Web.Features.Inquiries;
using KapPractice.Web.Infrastructure;
using KapPractice.Web.Infrastructure.Data;
using KapPractice.Web.Infrastructure.Data.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KapPractice.IntegrationTests.AtRest;

/// <summary>
/// A stolen copy of the database must not tell one client's answers from another's by the length of what is stored
/// (docs/security.md): every answer of every choice question, and none, through the form's own intake.
/// </summary>
public sealed class SealedLengthTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Every_answer_of_every_choice_and_every_outcome_is_stored_at_one_length_per_column(DatabaseProvider provider)
    {
        await using var app = new KapPracticeFactory { Provider = provider }
            .WithSetting("Spam:MinimumFillTime", "00:00:00")
            .WithSetting("RateLimiting:InquiryPermitLimit", "100000")
            .WithSetting("RateLimiting:InquiryFloodLimit", "100000");
        var stored = new Dictionary<string, HashSet<string>>();
        foreach (var form in EveryAnswer())
        {
            if (await TryStoreAsync(app, form))
            {
                foreach (var (name, value) in Choices(form))
                {
                    (stored.TryGetValue(name, out var seen) ? seen : stored[name] = []).Add(value);
                }
            }
        }

        // Every option of every choice question was stored (and "not answered" for the optional ones).
        foreach (var (name, options) in ChoiceQuestions())
        {
            Assert.True(stored.TryGetValue(name, out var seen) && options.All(seen.Contains),
                $"{name}: stored {string.Join(", ", seen ?? [])}, not every one of {string.Join(", ", options)}");
        }

        var inquiries = await app.InquiriesAsync();
        Assert.Equal(2, inquiries.Count(i => i.SpamReason is not null));
        Assert.Equal(Enum.GetValues<ScreeningOutcome>().ToHashSet(), inquiries.Select(i => i.Outcome).ToHashSet());

        var lengths = await LengthsAsync(app, "Inquiries");
        var columns = await app.WithDbAsync(db => Task.FromResult(db.Model.FindEntityType(typeof(Inquiry))!.GetProperties()
            .Where(p => p.FindAnnotation(ClientDataModel.EncryptedAnnotation) is not null)
            .Select(p => (p.GetColumnName(), ClientDataModel.BindingOf(p)))
            .ToList()));
        Assert.Contains(columns, c => c.Item1 == nameof(Inquiry.Outcome));
        Assert.Contains(columns, c => c.Item1 == nameof(Inquiry.ScreeningReasons));
        foreach (var (column, binding) in columns)
        {
            var seen = lengths[column].Distinct().Order().ToList();
            Assert.NotEmpty(seen);
            if (binding.FixedLength > 0)
            {
                Assert.True(seen.Count == 1, $"{column} is stored at {seen.Count} lengths: {string.Join(", ", seen)}");
            }
            else
            {
                // Free text: whole 64-byte buckets after the envelope's header, nonce and tag.
                Assert.All(seen, length => Assert.Equal(0, (length - DataKeyRing.EnvelopeOverhead) % SealBinding.Bucket));
            }
        }
    }

    /// <summary>
    /// Follow-up questions the form leaves unasked (stored as "none"). The other optional columns are empty only for
    /// inquiries from before the form asked them; the key ring's unit tests seal such a null at the column's length.
    /// </summary>
    private static readonly HashSet<string> Unasked = [nameof(InquiryForm.ManicOrMixedEpisode), nameof(InquiryForm.SubstanceUseLastProblem)];

    /// <summary>The form's choice questions (single choices and lists) that the inquiry stores, with every answer the intake can store.</summary>
    private static IEnumerable<(string Name, IReadOnlyList<string> Options)> ChoiceQuestions()
    {
        foreach (var property in typeof(InquiryForm).GetProperties().Where(p => typeof(Inquiry).GetProperty(p.Name) is not null))
        {
            var type = property.PropertyType;
            var choice = Nullable.GetUnderlyingType(type) ?? type;
            var stored = typeof(Inquiry).GetProperty(property.Name)!.PropertyType;
            if (choice.IsEnum)
            {
                var options = Enum.GetNames(choice).ToList();
                if (Nullable.GetUnderlyingType(stored) is not null && Unasked.Contains(property.Name))
                {
                    options.Add("none");
                }

                yield return (property.Name, options);
            }
            else if (ElementOf(type) is { IsEnum: true } element)
            {
                yield return (property.Name, Enum.GetNames(element));
            }
        }
    }

    /// <summary>One form per answer of each choice question, the rest as a likely-eligible person answers; a few companions make a follow-up question asked.</summary>
    private static IEnumerable<InquiryForm> EveryAnswer()
    {
        foreach (var (name, options) in ChoiceQuestions())
        {
            var property = typeof(InquiryForm).GetProperty(name)!;
            foreach (var option in options)
            {
                var form = ValidInquiry.Form() with { Email = $"{Guid.NewGuid():N}@example.com" };
                form = name switch
                {
                    nameof(InquiryForm.ManicOrMixedEpisode) when option != "none" => form with { Bipolar = YesNoNotSure.Yes },
                    nameof(InquiryForm.SubstanceUseLastProblem) when option == "none" => form with { SubstanceUse = SubstanceUse.CurrentlyAProblem },
                    nameof(InquiryForm.PreferredContact) => form with { Phone = "212 555 0199" },
                    nameof(InquiryForm.Concerns) when option == nameof(Concern.Other) => form with { ConcernOther = "something of my own" },
                    nameof(InquiryForm.Medications) when option == nameof(Medication.Other) => form with { MedicationOther = "another one" },
                    _ => form,
                };
                property.SetValue(form, Value(property.PropertyType, option));
                // A follow-up question the answer makes asked gets an answer too.
                if (form.Bipolar is not YesNoNotSure.No && form.ManicOrMixedEpisode is null)
                {
                    form.ManicOrMixedEpisode = YesNoNotSure.No;
                }

                if (form.SubstanceUse is not SubstanceUse.CurrentlyAProblem && form.SubstanceUseLastProblem is null)
                {
                    form.SubstanceUseLastProblem = SubstanceUseLastProblem.Never;
                }

                yield return form;
            }

            if (ElementOf(property.PropertyType) is { IsEnum: true } element)
            {
                // Every answer ticked at once, but for "None of these", which the form takes only alone.
                var all = (IList)Activator.CreateInstance(property.PropertyType)!;
                foreach (var value in Enum.GetValues(element))
                {
                    if (!value.ToString()!.StartsWith("None", StringComparison.Ordinal))
                    {
                        all.Add(value);
                    }
                }

                var form = ValidInquiry.Form() with { Email = $"{Guid.NewGuid():N}@example.com", ConcernOther = "something of my own", MedicationOther = "another one" };
                property.SetValue(form, all);
                yield return form;
            }
        }

        // Tripping the hidden field stores a spam reason; an urgent inquiry keeps it but is never flagged.
        yield return ValidInquiry.Form() with { Email = "spam@example.com", Website = "https://spam.example" };
        yield return ValidInquiry.Form() with { Email = "urgent-autofill@example.com", Website = "https://autofill.example", SelfHarmThoughts = YesNo.Yes };

        // Short texts at their limits and left empty, free text of several lengths.
        yield return ValidInquiry.Form() with { FullName = "Al", Email = "a@b.co", Pronouns = null, Phone = null, Message = null };
        yield return ValidInquiry.Form() with
        {
            FullName = new string('N', TextLimits.FullName),
            Email = new string('e', 64) + "@" + new string('d', 60) + ".example.com",
            Pronouns = new string('p', TextLimits.Pronouns),
            Phone = "+1 212 555 0199 ext. 1234",
            Message = new string('m', 500),
        };
    }

    private static async Task<bool> TryStoreAsync(KapPracticeFactory app, InquiryForm form)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var posted = (form with { FillToken = scope.ServiceProvider.GetRequiredService<InquirySpamCheck>().IssueToken() }).Normalized();
            if (!(await scope.ServiceProvider.GetRequiredService<IValidator<InquiryForm>>().ValidateAsync(posted)).IsValid)
            {
                return false;
            }
        }

        await app.SubmitAsync(form);
        return true;
    }

    /// <summary>The answers a stored form gives its choice questions, as <see cref="ChoiceQuestions"/> names them.</summary>
    private static IEnumerable<(string Name, string Value)> Choices(InquiryForm form)
    {
        var inquiry = form.Normalized().ToInquiry(DateTime.UtcNow);
        foreach (var (name, _) in ChoiceQuestions())
        {
            switch (typeof(Inquiry).GetProperty(name)!.GetValue(inquiry))
            {
                case null:
                    yield return (name, "none");
                    break;
                case IList { Count: 0 }:
                    yield return (name, "empty");
                    break;
                case IList list:
                    foreach (var item in list)
                    {
                        yield return (name, item.ToString()!);
                    }

                    break;
                case var value:
                    yield return (name, value.ToString()!);
                    break;
            }
        }
    }

    private static object? Value(Type type, string option) =>
        option == "none" ? null
        : option == "empty" ? Activator.CreateInstance(type)
        : ElementOf(type) is { } element ? ListOf(type, Enum.Parse(element, option))
        : Enum.Parse(Nullable.GetUnderlyingType(type) ?? type, option);

    private static IList ListOf(Type type, object item)
    {
        var list = (IList)Activator.CreateInstance(type)!;
        list.Add(item);
        return list;
    }

    private static Type? ElementOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>The stored length of every value of every column of the table, read with plain SQL as a copy would be.</summary>
    private static Task<Dictionary<string, List<long>>> LengthsAsync(KapPracticeFactory app, string table) => app.WithDbAsync(async db =>
    {
        var lengths = new Dictionary<string, List<long>>();
        await db.Database.OpenConnectionAsync();
        try
        {
            var columns = db.Model.FindEntityType(typeof(Inquiry))!.GetProperties()
                .Where(p => p.FindAnnotation(ClientDataModel.EncryptedAnnotation) is not null).Select(p => p.GetColumnName()).ToList();
            foreach (var column in columns)
            {
                await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = $"SELECT length(\"{column}\") FROM \"{table}\"";
                var values = new List<long>();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                }

                lengths[column] = values;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return lengths;
    });
}
