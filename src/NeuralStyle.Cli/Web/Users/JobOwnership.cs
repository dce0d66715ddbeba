using Microsoft.AspNetCore.Authorization;
using NeuralStyle.Jobs;

namespace NeuralStyle.Cli.Web.Users;

/// <summary>The rule that a job is seen, downloaded, cancelled and deleted by whoever posted it, and by an admin.</summary>
internal sealed class JobOwnership : AuthorizationHandler<JobOwnership, Job>, IAuthorizationRequirement
{
    /// <summary>The policy's name.</summary>
    public const string Policy = "owner";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, JobOwnership requirement, Job resource)
    {
        if (context.User.IsInRole(TokenAuthentication.AdminRole) || (resource.Owner is not null && resource.Owner == context.User.Identity?.Name))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
