-- Load script for `wrk` (Benchmarks/serve.sh): every connection is one client that sends one line
-- per LibreTranslate request (POST /translate) and waits for the answer before the next. The
-- lines come from the file given after `--`; each wrk thread starts at its own offset. Prints one
-- JSON object: requests, failures, sentences/s, latency p50/p99 in ms.
local lines, index = {}, 0

local function json_string(text)
    return '"' .. text:gsub('[%c"\\]', function(c)
        if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
        return string.format("\\u%04x", c:byte())
    end) .. '"'
end

function init(args)
    for line in io.lines(args[1]) do
        if line:find("%S") then
            lines[#lines + 1] = '{"q": ' .. json_string(line) .. ', "source": "en", "target": "de"}'
        end
    end
    index = math.random(#lines)
end

function request()
    index = index % #lines + 1
    return wrk.format("POST", "/translate", { ["Content-Type"] = "application/json" }, lines[index])
end

function done(summary, latency, requests)
    local errors = summary.errors
    local failures = errors.connect + errors.read + errors.write + errors.status + errors.timeout
    local answered = summary.requests - errors.status
    io.write(string.format(
        '{"requests": %d, "failures": %d, "sentences_per_second": %.3f, "p50_ms": %.3f, "p99_ms": %.3f}\n',
        answered, failures, answered / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
