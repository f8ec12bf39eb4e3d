import TernTensor
import Testing

@Suite struct ProcessorDescriptionTests {
    @Test("the processor's name and the vector extensions that choose kernels are read from /proc/cpuinfo text")
    func readsNameAndFlags() {
        let zen3 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7B13
            flags\t\t: fpu sse sse2 avx f16c fma avx2 bmi2

            processor\t: 1
            model name\t: AMD EPYC 7B13
            """
        let description = ProcessorDescription(cpuInfo: zen3)
        #expect(description.model == "AMD EPYC 7B13")
        #expect(description.flags == ["avx2", "fma", "f16c"])
        #expect(description.summary.hasPrefix("AMD EPYC 7B13, "))
        #expect(description.summary.contains("avx2 fma f16c; Tern kernel \(GEMMKernel.selected.name)"))
        let unknown = ProcessorDescription(cpuInfo: "")
        #expect(unknown.model == "unknown processor" && unknown.flags.isEmpty && unknown.summary.contains("no AVX"))
    }
}
