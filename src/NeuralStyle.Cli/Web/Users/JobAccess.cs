using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using NeuralStyle.Jobs;

namespace NeuralStyle.Cli.Web.Users;

/// <summary>The jobs as a person may reach them: through <see cref="JobOwnership"/>, so that another's job is no job at all (404, never 403).</summary>
internal sealed class JobAccess(JobStore store, IAuthorizationService authorization)
{
    /// <summary>Every job, for what needs no person (a file's path, the queue).</summary>
    public JobStore Store => store;

    /// <summary>The job of <paramref name="id"/> when <paramref name="user"/> may see it; null when there is none or it is another's.</summary>
    public async Task<Job?> Find(ClaimsPrincipal user, string id) =>
        store.Find(id) is { } job && await MaySee(user, job) ? job : null;

    /// <summary>Every job <paramref name="user"/> may see, newest first.</summary>
    public async Task<List<Job>> Visible(ClaimsPrincipal user)
    {
        var visible = new List<Job>();
        foreach (var job in store.All)
        {
            if (await MaySee(user, job))
            {
                visible.Add(job);
            }
        }

        return visible;
    }

    /// <summary>A job as the API shows it, with its place in the queue.</summary>
    public JobsEndpoints.JobView View(Job job) => new(job, store.QueuePosition(job));

    /// <summary>Jobs as the API lists them, their places read from one ordering of the queue, not one each.</summary>
    public IEnumerable<JobsEndpoints.JobView> Views(IReadOnlyList<Job> jobs)
    {
        var positions = store.QueuePositions();
        return [.. jobs.Select(j => new JobsEndpoints.JobView(j, j.Status == JobStatus.Queued ? positions.GetValueOrDefault(j.Id) : 0))];
    }

    private async Task<bool> MaySee(ClaimsPrincipal user, Job job) => (await authorization.AuthorizeAsync(user, job, JobOwnership.Policy)).Succeeded;
}
