using KapPractice.Web.Infrastructure;

namespace KapPractice.UnitTests.Infrastructure;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("export-everything", "--to", "/tmp/out")]
    [InlineData("create_admin", "--email", "leslie@example.org")]
    [InlineData("Backup")]
    [InlineData("")]
    public void A_first_word_that_is_no_verb_and_no_setting_is_refused_with_every_verb_listed(params string[] args)
    {
        using var error = new StringWriter();

        Assert.True(CommandLine.IsUnknownVerb(args, Program.Verbs, error));

        Assert.StartsWith($"Unknown command \"{args[0]}\". The commands are: ", error.ToString(), StringComparison.Ordinal);
        Assert.All(Program.Verbs, verb => Assert.Contains(verb, error.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData]
    [InlineData("create-admin", "--email", "leslie@example.org")]
    [InlineData("reset-two-factor", "--email", "leslie@example.org")]
    [InlineData("backup", "--to", "/tmp/before-upgrade.db")]
    [InlineData("restore", "--from", "/tmp/backup.db")]
    [InlineData("rotate-key")]
    [InlineData("read-mail", "--file", "/var/lib/kappractice/data/mail-pickup/20261201T030000000Z-12.eml.sealed", "--to", "/root/message.eml")]
    [InlineData("--urls=http://127.0.0.1:5000")]
    [InlineData("--urls", "http://127.0.0.1:5000")]
    [InlineData("-e", "Production")]
    [InlineData("/Data:Directory", "/var/lib/kappractice/data")]
    [InlineData("Data:Directory=/var/lib/kappractice/data")]
    public void A_verb_a_setting_or_nothing_goes_on(params string[] args)
    {
        using var error = new StringWriter();

        Assert.False(CommandLine.IsUnknownVerb(args, Program.Verbs, error));

        Assert.Empty(error.ToString());
    }

    [Fact]
    public void The_verbs_are_those_the_admin_data_and_mail_commands_run() =>
        Assert.Equal(["create-admin", "reset-two-factor", "backup", "restore", "rotate-key", "read-mail", "export-content", "import-content"], Program.Verbs);
}
