// How fast cummingsify lower-cases text: ASCII, text mixing several scripts, and upper-case
// Greek and Cyrillic prose; and, as the yardstick, ICU alone lower-casing the same texts in
// memory (ucasemap_utf8ToLower, root locale, into a buffer made once).
// Run: build-release/bin/cummingsify_bench (scripts/bench.sh runs it and reads bytes_per_second).
#include "poetry/protocol/transforms.hpp"

#include <benchmark/benchmark.h>
#include <unicode/ucasemap.h>

#include <memory>

#include <string>
#include <string_view>

namespace {

constexpr std::size_t text_size = 1 << 20;

// `pattern` repeated to about `text_size` bytes, cut at a line's end.
std::string
repeated(std::string_view pattern)
{
    std::string text;
    while (text.size() + pattern.size() <= text_size)
        text += pattern;
    return text;
}

const std::string ascii_text = repeated("The Harbour Lights Come On At Six, And Every Boat Is Counted Home;\n"
                                        "THE TIDE SAYS NOTHING, THE GULLS SAY MORE, AND THE ROPES SAY ALL.\n");

// Latin with accents, Greek (with final sigma), Cyrillic, Armenian, Georgian, Cherokee,
// full-width Latin, and scripts without case (CJK, Devanagari) that pass through.
const std::string mixed_text = repeated("Ça Va, Ölçüm Ünlü Straße ÅNGSTRÖM Łódź — "
                                        "ΟΔΥΣΣΕΥΣ ΚΑΙ ΘΑΛΑΣΣΑ, Σοφία; "
                                        "МОРЕ И МАЯК, Вечер; "
                                        "ՀԱՅԱՍՏԱՆ; ႠႡႢ; ᎠᎡᎢ; ＦＵＬＬ ＷＩＤＴＨ; "
                                        "港の灯り; समुद्र तट\n");

// Our own lines, in Greek and in Russian, in capitals: every letter has a lower case.
const std::string greek_cyrillic_text =
    repeated("ΤΑ ΦΩΤΑ ΤΟΥ ΛΙΜΑΝΙΟΥ ΑΝΑΒΟΥΝ ΣΤΙΣ ΕΞΙ, ΚΑΙ ΚΑΘΕ ΒΑΡΚΑ ΜΕΤΡΙΕΤΑΙ ΣΠΙΤΙ;\n"
             "ОГНИ ГАВАНИ ЗАЖИГАЮТСЯ В ШЕСТЬ, И КАЖДУЮ ЛОДКУ СЧИТАЮТ ДОМА.\n");

void
run(benchmark::State& state, const std::string& text)
{
    for (auto _ : state)
    {
        poetry::error_code ec;
        auto lowered = poetry::cummingsify(text, ec);
        benchmark::DoNotOptimize(lowered);
        if (ec)
            state.SkipWithError(ec.message().c_str());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void
run_icu_alone(benchmark::State& state, const std::string& text)
{
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<UCaseMap, void (*)(UCaseMap*)> map(ucasemap_open("", 0, &status), ucasemap_close);
    std::string out(text.size() * 2, '\0');
    for (auto _ : state)
    {
        status = U_ZERO_ERROR;
        const auto n = ucasemap_utf8ToLower(map.get(), out.data(), static_cast<int32_t>(out.size()), text.data(),
                                            static_cast<int32_t>(text.size()), &status);
        benchmark::DoNotOptimize(n);
        if (U_FAILURE(status))
            state.SkipWithError(u_errorName(status));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void
cummingsify_ascii(benchmark::State& state)
{
    run(state, ascii_text);
}

void
cummingsify_mixed_scripts(benchmark::State& state)
{
    run(state, mixed_text);
}

void
cummingsify_greek_cyrillic(benchmark::State& state)
{
    run(state, greek_cyrillic_text);
}

void
icu_alone_mixed_scripts(benchmark::State& state)
{
    run_icu_alone(state, mixed_text);
}

void
icu_alone_greek_cyrillic(benchmark::State& state)
{
    run_icu_alone(state, greek_cyrillic_text);
}

BENCHMARK(cummingsify_ascii);
BENCHMARK(cummingsify_mixed_scripts);
BENCHMARK(cummingsify_greek_cyrillic);
BENCHMARK(icu_alone_mixed_scripts);
BENCHMARK(icu_alone_greek_cyrillic);

} // namespace

BENCHMARK_MAIN();
