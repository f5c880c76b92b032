#include "common/client_settings.hpp"

#include "common/cli.hpp"
#include "common/resources.hpp"

#include <cctype>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace poetry {
namespace {

address
client_address(const std::string& text)
{
    error_code ec;
    address parsed = parse_address(text, ec);
    if (!ec && parsed.port == 0)
        ec = errc::bad_port;
    if (ec == errc::bad_port)
        throw cli::usage_error("invalid address '" + text + "': Ports must be integers from 1 to 65535.");
    if (ec)
        throw cli::usage_error("invalid address '" + text + "': " + ec.message());
    return parsed;
}

} // namespace

std::optional<client_settings>
parse_client_command_line(int argc, char** argv, const std::string& program, const std::string& style)
{
    namespace po = boost::program_options;
    const std::string synopsis = "[options] XFORM_ADDR ADDR [ADDR ...]";
    const cli::program_info info{
        program, synopsis,
        "The Get Poetry Now! client, " + style +
            ".\n"
            "Downloads a poem from every poetry server ADDR at once, has each one transformed by the\n"
            "transform server XFORM_ADDR, and prints it. An address is [host:]port; the host defaults\n"
            "to 127.0.0.1; write IPv6 hosts in brackets: [::1]:10002.\n"
            "Example: " +
            program + " 10001 10002 10003"};

    std::string timeout = "30";
    std::string max_total = std::to_string(default_max_total);
    std::string transform = "cummingsify";
    bool no_transform = false;
    client_settings settings;
    po::options_description options("Options");
    options.add_options()                                                                                    //
        ("timeout", po::value(&timeout)->value_name("SECONDS")->default_value(timeout),                      //
         "fail a connection that makes no progress for this long; 0: wait forever")                          //
        ("xform", po::value(&transform)->value_name("NAME")->default_value(transform),                       //
         "the transform to ask the transform server for")                                                    //
        ("no-xform", po::bool_switch(&no_transform), "skip the transform: every address is a poetry server") //
        ("max-total", po::value(&max_total)->value_name("BYTES")->default_value(max_total),                  //
         "the most bytes all downloads together may bring; a download that would pass it fails")             //
        ("verbose,v", po::bool_switch(&settings.verbose), "report progress on stderr as bytes arrive")       //
        ("trace", po::value<std::string>()->value_name("FILE"),
         "write every event (connect, bytes, transform, transform-failed, done, failed) to FILE as CSV; "
         "draw it with poetry-timeline");
    po::options_description hidden;
    hidden.add_options()("address", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("address", -1);

    const auto values = cli::parse(argc, argv, info, options, hidden, positional);
    if (!values)
        return std::nullopt;

    const auto texts =
        values->count("address") ? (*values)["address"].as<std::vector<std::string>>() : std::vector<std::string>{};
    const std::size_t needed = no_transform ? 1 : 2;
    if (texts.size() < needed)
        throw cli::usage_error(std::string(no_transform ? "give at least one poetry server's address"
                                                        : "give the transform server's address and at least one "
                                                          "poetry server's address") +
                               "\nUsage: " + program + " " + synopsis);

    if (no_transform && !(*values)["xform"].defaulted())
        throw cli::usage_error("--no-xform and --xform contradict each other: give one of them");
    if (transform.empty())
        throw cli::usage_error("invalid --xform '': give a transform's name, such as cummingsify");
    auto first_poetry_server = texts.begin();
    if (no_transform)
        settings.transform.reset();
    else
    {
        settings.transform = transform;
        settings.transform_server = client_address(*first_poetry_server++);
    }
    for (auto it = first_poetry_server; it != texts.end(); ++it)
        settings.poetry_servers.push_back(client_address(*it));

    if (values->count("trace"))
    {
        const auto& path = (*values)["trace"].as<std::string>();
        try
        {
            std::string command = program;
            for (int i = 1; i < argc; ++i)
                command += std::string(" ") + argv[i];
            settings.trace = std::make_shared<trace_log>(path, command);
        }
        catch (const std::runtime_error& e)
        {
            throw cli::runtime_failure(e.what());
        }
    }

    settings.fetch.total =
        std::make_shared<byte_budget>(cli::count_value(max_total, "--max-total", 1, largest_max_total));
    const auto idle = cli::seconds_value(timeout, "--timeout");
    settings.fetch.idle_timeout = idle;
    settings.xform.idle_timeout = idle;
    settings.xform.total = settings.fetch.total; // every byte a run holds counts, replies too
    raise_open_file_limit();
    return settings;
}

std::vector<poem_task>
make_tasks(const client_settings& settings)
{
    std::vector<poem_task> tasks;
    int number = 0;
    for (const auto& server : settings.poetry_servers)
        tasks.push_back({++number, server});
    return tasks;
}

void
print_poem(std::string_view poem)
{
    std::fwrite(poem.data(), 1, poem.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int
client_exit_status(const client_settings& settings, int failed_downloads)
{
    if (settings.trace)
        settings.trace->close();
    return failed_downloads > 0 ? cli::exit_failure : 0;
}

int
run_client(int argc, char** argv, const std::string& program, const std::string& style,
           const std::function<int(const client_settings&)>& body)
{
    return cli::run(program, [&] {
        const auto settings = parse_client_command_line(argc, argv, program, style);
        if (!settings)
            return 0;
        // Output to a closed pipe is a failure to report (exit 1), not a silent death.
        std::signal(SIGPIPE, SIG_IGN);
        return body(*settings);
    });
}

} // namespace poetry
