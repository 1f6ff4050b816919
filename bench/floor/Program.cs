// The stack the site is built on, with nothing of the site in it: what the runtime, Kestrel, ASP.NET Core's output cache,
// MVC with Razor views, EF Core on SQLite, Identity's stores, Serilog and FluentValidation cost by themselves on this
// machine, measured by bench/stack-floor.sh the way bench/all.sh measures the site. One mode a process (FLOOR_MODE), each in
// a method of its own so that a mode loads only the assemblies it uses:
//   kestrel      every request answered with the bytes of FLOOR_BODY (no routing, no logging): Kestrel alone;
//   outputcache  the same bytes from one endpoint behind ASP.NET Core's output cache, and nothing else in the pipeline;
//   mvc          a controller rendering a Razor view in a layout (what `dotnet new mvc` starts with);
//   stack        mvc with everything the client fixed around it: Serilog's request log, the global antiforgery filter,
//                FluentValidation, EF Core on SQLite (WAL, synchronous=FULL, as the site) with Identity's stores. GET /
//                counts rows in a query and renders a view; POST /note validates one field, inserts one row and commits,
//                one writer at a time, then redirects with 303.
using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Serilog;

namespace Floor;

public static class Program
{
    public static void Main(string[] args)
    {
        switch (Environment.GetEnvironmentVariable("FLOOR_MODE"))
        {
            case "kestrel": Kestrel(args); break;
            case "outputcache": OutputCache(args); break;
            case "mvc": Mvc(args); break;
            case "stack": Stack(args); break;
            default: throw new InvalidOperationException("FLOOR_MODE: kestrel, outputcache, mvc or stack");
        }
    }

    static byte[] Body() => File.ReadAllBytes(Environment.GetEnvironmentVariable("FLOOR_BODY")
        ?? throw new InvalidOperationException("FLOOR_BODY: the file to serve"));

    static void Kestrel(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var body = Body();
        app.Run(context => Send(context, body));
        app.Run();
    }

    static void OutputCache(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddOutputCache();
        var app = builder.Build();
        app.UseOutputCache();
        var body = Body();
        app.MapGet("/", context => Send(context, body)).CacheOutput(policy => policy.Expire(TimeSpan.FromHours(1)).SetVaryByQuery([]));
        app.Run();
    }

    static Task Send(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    static void Mvc(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddControllersWithViews();
        var app = builder.Build();
        app.MapDefaultControllerRoute();
        app.Run();
    }

    static void Stack(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Host.UseSerilog((_, log) => log.ReadFrom.Configuration(builder.Configuration).WriteTo.Console());
        builder.Services.AddControllersWithViews(mvc => mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
        builder.Services.AddFluentValidationAutoValidation();
        builder.Services.AddScoped<IValidator<Note>, NoteValidator>();
        var folder = Environment.GetEnvironmentVariable("FLOOR_DATA") ?? throw new InvalidOperationException("FLOOR_DATA: the data folder");
        builder.Services.AddDbContext<FloorDb>(db => db.UseSqlite($"Data Source={Path.Combine(folder, "floor.db")}")
            .AddInterceptors(new DurableWrites()));
        builder.Services.AddIdentity<IdentityUser, IdentityRole>().AddEntityFrameworkStores<FloorDb>();
        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FloorDb>();
            db.Database.EnsureCreated();
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        app.UseSerilogRequestLogging();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDefaultControllerRoute();
        app.Run();
    }
}

public sealed class HomeController : Controller
{
    // One writer at a time, as SQLite allows and as the site queues its stores.
    static readonly SemaphoreSlim Writer = new(1, 1);

    public async Task<IActionResult> Index([FromServices] IServiceProvider services)
    {
        if (services.GetService<FloorDb>() is { } db)
            ViewData["Notes"] = await db.Notes.CountAsync(note => note.At < DateTime.UtcNow);
        return View();
    }

    // wrk cannot carry an antiforgery token; the site's form does (and a fill-time token, sealing, two emails).
    [HttpPost("/note"), IgnoreAntiforgeryToken]
    public async Task<IActionResult> Note([FromForm] Note note, [FromServices] FloorDb db)
    {
        if (!ModelState.IsValid) return BadRequest();
        note.At = DateTime.UtcNow;
        await Writer.WaitAsync();
        try
        {
            db.Notes.Add(note);
            await db.SaveChangesAsync();
        }
        finally
        {
            Writer.Release();
        }
        Response.Headers.Location = "/";
        return StatusCode(StatusCodes.Status303SeeOther);
    }
}

public sealed class Note
{
    public int Id { get; set; }
    public string Text { get; set; } = "";
    public DateTime At { get; set; }
}

public sealed class NoteValidator : AbstractValidator<Note>
{
    public NoteValidator() => RuleFor(note => note.Text).NotEmpty().MaximumLength(10_000);
}

public sealed class FloorDb(DbContextOptions<FloorDb> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

// Every connection waits for the disk on each commit and for the writer's lock, as the site's connections do.
sealed class DurableWrites : DbConnectionInterceptor
{
    const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
