// How fast cummingsify lower-cases text: ASCII, and text mixing several scripts.
// Run: build-release/bin/cummingsify_bench (scripts/bench.sh runs it and reads bytes_per_second).
#include "poetry/protocol/transforms.hpp"

#include <benchmark/benchmark.h>

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
cummingsify_ascii(benchmark::State& state)
{
    run(state, ascii_text);
}

void
cummingsify_mixed_scripts(benchmark::State& state)
{
    run(state, mixed_text);
}

BENCHMARK(cummingsify_ascii);
BENCHMARK(cummingsify_mixed_scripts);

} // namespace

BENCHMARK_MAIN();
