using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace NeuralStyle.Cli.Web.Users;

/// <summary>
/// Who a request comes from, by the token it carries (<c>Authorization: Bearer TOKEN</c>, or the cookie
/// that <c>?token=TOKEN</c> leaves): once any user exists, one of them, on the loopback too; without
/// users, everyone as one admin, who needs the token the server printed when it listens beyond the
/// loopback and nothing on the loopback alone.
/// </summary>
internal sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ServeSettings settings, UserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string Name = "Token";

    /// <summary>The role of a person who sees every job.</summary>
    public const string AdminRole = "admin";

    /// <summary>The cookie that holds the token in a browser.</summary>
    public const string Cookie = "neural_style_token";

    /// <summary>The person <paramref name="token"/> stands for; null when it stands for nobody.</summary>
    public static ClaimsPrincipal? Who(string? token, ServeSettings settings, UserStore users)
    {
        if (users.All.Count > 0)
        {
            return users.Find(token) is { } user ? Person(user.Name, user.Admin) : null;
        }

        return settings.Token is null || Same(token, settings.Token) ? Person(null, admin: true) : null;
    }

    /// <summary>Whether a request needs a token at all.</summary>
    public static bool Required(ServeSettings settings, UserStore users) => settings.Token is not null || users.All.Count > 0;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var bearer = Request.Headers.Authorization.ToString();
        var token = bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer["Bearer ".Length..] : Request.Cookies[Cookie];
        return Task.FromResult(Who(token, settings, users) is { } person
            ? AuthenticateResult.Success(new AuthenticationTicket(person, Name))
            : AuthenticateResult.NoResult());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => RequestGuard.Refuse(
        Context,
        StatusCodes.Status401Unauthorized,
        users.All.Count > 0
            ? "this server needs your own access token (ask its admin; open the address with ?token=TOKEN, or send Authorization: Bearer TOKEN)"
            : "this server needs the access token it printed at its start (open the address it printed, or send Authorization: Bearer TOKEN)");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        RequestGuard.Refuse(Context, StatusCodes.Status403Forbidden, "your token does not allow this");

    // A principal with a name (none without users) and, for an admin, the admin role.
    private static ClaimsPrincipal Person(string? name, bool admin)
    {
        var claims = new List<Claim>();
        if (name is not null)
        {
            claims.Add(new Claim(ClaimTypes.Name, name));
        }

        if (admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Name));
    }

    // Compared in a time that does not depend on where the strings first differ.
    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
