// The stack the site is built on, with nothing of the site in it: what the runtime, Kestrel, ASP.NET Core's output cache,
// MVC with Razor views, EF Core on SQLite, Identity's stores, Serilog and FluentValidation cost by themselves on this
// machine, measured by bench/stack-floor.sh the way bench/all.sh measures the site (docs/performance.md, "What the stack
// allows"). One mode a process (FLOOR_MODE), each in a method and with a controller of its own, so that a mode loads only
// the assemblies it uses:
//   kestrel      every request answered with the bytes of FLOOR_BODY (no routing, no logging): Kestrel alone;
//   outputcache  the same bytes from one endpoint behind ASP.NET Core's output cache, and nothing else in the pipeline;
//   mvc          a controller rendering a Razor view in a layout (nothing of EF Core or Identity loaded);
//   stack        MVC with what the site is built on around it: Serilog's request log, the output cache, the global
//                antiforgery filter, FluentValidation, EF Core on SQLite (WAL, synchronous=FULL, as the site) with
//                Identity's stores. GET / counts rows and renders the bytes of FLOOR_BODY in a view, output-cached as
//                the site's article is; POST /note validates one field, stores it with 6 KB of random bytes (what a
//                sealed inquiry stores) and commits, one writer at a time, then redirects with 303.
using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OutputCaching;
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

    // The slim builder: Kestrel and the output cache alone, without what the full host adds (configuration files, the
    // console log, host filtering), the least either can run with.
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
        KeysInDataFolder(builder);
        // MVC looks for controllers in every type of every assembly the SDK lists as a part (this one, whose stack
        // controller's context would load EF Core and Identity, and FluentValidation's): here it is given only this one
        // controller and the compiled views. FluentValidation.AspNetCore.dll is still loaded, as MVC opens the SDK's list
        // before this runs, but nothing of it is used.
        builder.Services.AddControllersWithViews().ConfigureApplicationPartManager(parts =>
        {
            parts.ApplicationParts.Clear();
            parts.ApplicationParts.Add(new OneType(typeof(PageController)));
            parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(typeof(PageController).Assembly));
        });
        var app = builder.Build();
        app.MapControllers();
        app.Run();
    }

    static void Stack(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        KeysInDataFolder(builder);
        builder.Host.UseSerilog((_, log) => log.ReadFrom.Configuration(builder.Configuration).WriteTo.Console());
        builder.Services.AddControllersWithViews(mvc => mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .ConfigureApplicationPartManager(OnlyController<StackController>);
        builder.Services.AddOutputCache();
        builder.Services.AddFluentValidationAutoValidation();
        builder.Services.AddScoped<IValidator<Note>, NoteValidator>();
        builder.Services.AddSingleton(new Article(Body()));
        builder.Services.AddDbContext<FloorDb>(db => db.UseSqlite($"Data Source={Path.Combine(DataFolder(), "floor.db")}")
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
        app.UseOutputCache();
        app.MapControllers();
        app.Run();
    }

    static string DataFolder() => Environment.GetEnvironmentVariable("FLOOR_DATA")
        ?? throw new InvalidOperationException("FLOOR_DATA: the data folder");

    // ASP.NET Core keeps its data protection keys in $HOME by default, where they would outlive every fresh data folder
    // (the site keeps its own keys in its key folder).
    static void KeysInDataFolder(WebApplicationBuilder builder) =>
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataFolder(), "keys")));

    // The stack keeps MVC's own discovery, over every part, as the site's MVC runs it; only the mvc mode's controller,
    // which answers / too, is left out.
    static void OnlyController<TController>(ApplicationPartManager parts)
    {
        parts.FeatureProviders.Remove(parts.FeatureProviders.OfType<ControllerFeatureProvider>().Single());
        parts.FeatureProviders.Add(new SingleController(typeof(TController)));
    }

    sealed class SingleController(Type controller) : ControllerFeatureProvider
    {
        protected override bool IsController(TypeInfo typeInfo) => typeInfo.AsType() == controller;
    }

    sealed class OneType(Type type) : ApplicationPart, IApplicationPartTypeProvider
    {
        public override string Name => type.Name;
        public IEnumerable<TypeInfo> Types => [type.GetTypeInfo()];
    }
}

public sealed class PageController : Controller
{
    [HttpGet("/")]
    public IActionResult Index() => View();
}

public sealed record Article(byte[] Bytes);

public sealed class StackController : Controller
{
    // One writer at a time, as SQLite allows and as the site queues its stores.
    static readonly SemaphoreSlim Writer = new(1, 1);

    // Ten minutes, as the site keeps its pages (the attribute's default is one).
    [HttpGet("/"), OutputCache(Duration = 600)]
    public async Task<IActionResult> Index([FromServices] FloorDb db, [FromServices] Article article)
    {
        ViewData["Notes"] = await db.Notes.CountAsync(note => note.At < DateTime.UtcNow);
        return View(article);
    }

    // wrk cannot carry an antiforgery token; the site's form does (and a fill-time token, a permit, the sealing, two emails).
    [HttpPost("/note"), IgnoreAntiforgeryToken]
    public async Task<IActionResult> Note([FromForm] Note note, [FromServices] FloorDb db)
    {
        if (!ModelState.IsValid) return BadRequest();
        note.At = DateTime.UtcNow;
        note.Sealed = RandomNumberGenerator.GetBytes(6 * 1024);
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
    public byte[] Sealed { get; set; } = [];
}

public sealed class NoteValidator : AbstractValidator<Note>
{
    public NoteValidator() => RuleFor(note => note.Text).NotEmpty().MaximumLength(2_000);
}

public sealed class FloorDb(DbContextOptions<FloorDb> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

// Every connection waits for the disk on each commit (synchronous=FULL, as the site's connections) and, should it meet
// another writer, for its lock (the site waits 10 s; with one writer at a time here no connection ever waits).
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
