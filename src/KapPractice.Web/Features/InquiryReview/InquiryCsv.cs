using System.Globalization;
using System.Text;
using CsvHelper;
using KapPractice.Web.Domain;
using KapPractice.Web.Infrastructure;

namespace KapPractice.Web.Features.InquiryReview;

/// <summary>
/// The export: one row per inquiry, one column per answer headed by its question, safe to open in a spreadsheet.
/// Times are the practice's local time with their offset (ISO 8601), the zone named in the header.
/// </summary>
public static class InquiryCsv
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>Writes the file to <paramref name="output"/> (left open) as UTF-8 with a byte-order mark; returns the number of rows.</summary>
    public static async Task<int> WriteAsync(IAsyncEnumerable<Inquiry> inquiries, PracticeClock clock, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inquiries);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(output);
        var zone = $"({clock.Zone.Id})";
        var rows = 0;
        // A byte-order mark (the encoding's preamble), so spreadsheet programs read names in any script as UTF-8.
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        // The guard is ours (Guard below), so every cell, header included, is treated the same way.
        using (var csv = CsvWriter.Create(text, CsvWriterOptions.Default, leaveOpen: true))
        {
            var sample = AnswerSheet.For(new Inquiry { FullName = string.Empty, Email = string.Empty }, Labels.Utc);
            string[] header =
            [
                "Id", $"Received {zone}", "Status", $"Status changed {zone}", "Screening outcome", "Screening reasons",
                "Suspected spam", "Spam reason", $"First viewed {zone}",
                .. sample.SelectMany(group => group.Answers.Select(answer => answer.Question)),
            ];
            csv.WriteRecord([.. header.Select(Guard)]);
            await foreach (var inquiry in inquiries.WithCancellation(cancellationToken))
            {
                rows++;
                string[] cells =
                [
                    inquiry.Id.ToString(CultureInfo.InvariantCulture),
                    clock.FormatIso(inquiry.ReceivedUtc),
                    Labels.For(inquiry.Status),
                    clock.FormatIso(inquiry.StatusChangedUtc),
                    Labels.For(inquiry.Outcome),
                    string.Join(AnswerSheet.ListSeparator, inquiry.ScreeningReasons),
                    inquiry.IsSuspectedSpam ? "Yes" : "No",
                    inquiry.SpamReason ?? string.Empty,
                    inquiry.FirstViewedUtc is { } viewed ? clock.FormatIso(viewed) : string.Empty,
                    .. AnswerSheet.For(inquiry, clock.FormatIso).SelectMany(group => group.Answers.Select(answer => answer.Value)),
                ];
                csv.WriteRecord([.. cells.Select(Guard)]);
            }
        }

        return rows;
    }

    /// <summary>A cell a spreadsheet would run as a formula gets a leading apostrophe, so it is shown as text.</summary>
    public static string Guard(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && FormulaStarts.Contains(value[0]) ? "'" + value : value;
    }
}
