using System.CommandLine;
using System.Globalization;

namespace NeuralStyle.Cli.Web.Users;

/// <summary>
/// <c>neural-style users add NAME [--admin] | list | remove NAME [--data DIR]</c>: the people of a
/// server. Once anyone is added, every request to <c>serve</c> needs its person's token.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var data = ServeCommand.DataOption();
        var name = new Argument<string>("NAME") { Description = "The person's name: letters, digits, '-', '_' or '.'." };
        var admin = new Option<bool>("--admin") { Description = "They see, cancel and delete everyone's jobs." };

        var add = new Command("add", "Adds a person and prints their token (shown this once; the server keeps only its hash).") { name, admin, data };
        add.SetAction(result => StyleCommand.Guarded(() =>
        {
            Console.WriteLine(new UserStore(result.GetValue(data)!).Add(result.GetValue(name)!, result.GetValue(admin)));
            return 0;
        }));

        var list = new Command("list", "Lists the people, one a line: name, admin or user, when added.") { data };
        list.SetAction(result => StyleCommand.Guarded(() =>
        {
            foreach (var user in new UserStore(result.GetValue(data)!).All)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{user.Name}\t{(user.Admin ? "admin" : "user")}\t{user.Added:yyyy-MM-dd HH:mm}Z"));
            }

            return 0;
        }));

        var remove = new Command("remove", "Removes a person: their token stops working at once; their jobs stay, for an admin.") { name, data };
        remove.SetAction(result => StyleCommand.Guarded(() =>
        {
            new UserStore(result.GetValue(data)!).Remove(result.GetValue(name)!);
            return 0;
        }));

        return new Command("users", "The people of a server (serve --data): each has their own token and sees only their own jobs.") { add, list, remove };
    }
}
