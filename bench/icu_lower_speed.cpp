// The transform server's yardstick: ICU alone lower-casing a file's text in memory
// (ucasemap_utf8ToLower, root locale, into a buffer made once), best of N runs.
// Usage: icu_lower_speed FILE [RUNS]; prints "RESULT bytes=B bytes_per_s=S".
#include <unicode/ucasemap.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

int
main(int argc, char** argv)
{
    if (argc < 2 || argc > 3)
    {
        std::fprintf(stderr, "usage: icu_lower_speed FILE [RUNS]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const std::string text = in ? std::string{std::istreambuf_iterator<char>(in), {}} : std::string();
    if (text.empty())
    {
        std::fprintf(stderr, "icu_lower_speed: cannot read '%s'\n", argv[1]);
        return 1;
    }
    const int runs = argc == 3 ? std::atoi(argv[2]) : 5;
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<UCaseMap, void (*)(UCaseMap*)> map(ucasemap_open("", 0, &status), ucasemap_close);
    std::string out(text.size() * 2, '\0');
    double best = 0;
    for (int i = 0; i < std::max(runs, 1); ++i)
    {
        const auto start = std::chrono::steady_clock::now();
        status = U_ZERO_ERROR;
        ucasemap_utf8ToLower(map.get(), out.data(), static_cast<int32_t>(out.size()), text.data(),
                             static_cast<int32_t>(text.size()), &status);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        if (U_FAILURE(status))
        {
            std::fprintf(stderr, "icu_lower_speed: %s\n", u_errorName(status));
            return 1;
        }
        if (i == 0 || took.count() < best)
            best = took.count();
    }
    std::printf("RESULT bytes=%zu bytes_per_s=%.0f\n", text.size(), static_cast<double>(text.size()) / best);
    return 0;
}
