import Autograd
import COpenBLAS
import Foundation
import Tensors
import Transformer

/// `tenfold bench --kernels`: matrix products in GFLOP/s and elementwise kernels in GB/s.
///
/// Matrix products are Tenfold's `matmul` (OpenBLAS on one thread per call, work split over
/// the cores by Tenfold) against one raw `cblas_sgemm` call with OpenBLAS's own threads
/// (as many as the cores) and with one thread. Bandwidth-bound kernels count each tensor
/// read or written once (the ideal traffic), so GB/s compares directly with the machine's
/// bandwidth: 33–39 GB/s from RAM, ≈190 GB/s in cache (measured on the project's 2-core machines).
struct KernelBenchmark {
    var secondsPerMeasurement: Double
    var json: Bool

    func run() {
        var rng = SeededGenerator(seed: 2026)
        if !json {
            print("Tenfold kernel benchmark: \(Parallel.threadCount) threads (TENFOLD_THREADS), median of runs over \(secondsPerMeasurement) s each; elementwise C kernels: \(elementwiseKernelInstructions); attention's block products: \(SmallProduct.kernel)")
        }
        matrixProducts(using: &rng)
        bandwidthKernels(rows: 4096, columns: 1024, using: &rng,
                         note: "16 MiB per tensor: from RAM/L3, compare with 33–39 GB/s")
        bandwidthKernels(rows: 128, columns: 1024, using: &rng,
                         note: "512 KiB per tensor: in cache, compare with ≈190 GB/s")
    }

    // MARK: Matrix products

    struct Product {
        var name: String
        var m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false
        var batch = 1
    }

    /// The transformer's products at BERT-mini scale (B·T = 4096 tokens, H = 256, F = 1024,
    /// A = 4 heads of D = 64, so B·A = 128 attention products of T = 128).
    static let products: [Product] = [
        Product(name: "FFN up y = x·W₁ (mini's feed-forward shape)", m: 4096, n: 1024, k: 256),
        Product(name: "QKV/out projection y = x·W", m: 4096, n: 768, k: 256),
        Product(name: "  its dX = dY·Wᵀ", m: 4096, n: 256, k: 768, transposeB: true),
        Product(name: "  its dW = Xᵀ·dY", m: 256, n: 768, k: 4096, transposeA: true),
        Product(name: "FFN down y = h·W₂", m: 4096, n: 256, k: 1024),
        Product(name: "  its dH = dY·W₂ᵀ", m: 4096, n: 1024, k: 256, transposeB: true),
        Product(name: "  its dW₂ = Hᵀ·dY", m: 1024, n: 256, k: 4096, transposeA: true),
        Product(name: "attention scores Q·Kᵀ", m: 128, n: 128, k: 64, transposeB: true, batch: 128),
        Product(name: "attention context P·V", m: 128, n: 64, k: 128, batch: 128),
    ]

    func matrixProducts(using rng: inout SeededGenerator) {
        var rows: [BenchRecord] = []
        for p in Self.products {
            let lead: [Int] = p.batch > 1 ? [p.batch] : []
            let aShape: [Int] = lead + (p.transposeA ? [p.k, p.m] : [p.m, p.k])
            let bShape: [Int] = lead + (p.transposeB ? [p.n, p.k] : [p.k, p.n])
            let a = Tensor.normal(aShape, using: &rng), b = Tensor.normal(bShape, using: &rng)
            var c = Tensor(uninitializedShape: lead + [p.m, p.n])
            let flops = 2.0 * Double(p.m * p.n * p.k * p.batch)
            let shape = "\(aShape)\(p.transposeA ? "ᵀ" : "")·\(bShape)\(p.transposeB ? "ᵀ" : "")"

            let product = { matmul(a, b, transposeA: p.transposeA, transposeB: p.transposeB, beta: 0, into: &c) }
            if p.batch > 1 {
                // Attention's blocks: Tenfold's matmul (one OpenBLAS call per block) timed in
                // turn with the small-block kernel that fusedAttention uses instead.
                var d = Tensor(uninitializedShape: lead + [p.m, p.n])
                let (ours, small) = BenchTiming.alternatingMedians(budget: secondsPerMeasurement, product,
                                                                   reference: { smallBlocks(p, a, b, &d) })
                rows.append(BenchRecord(group: "matmul", name: p.name + " — Tenfold matmul (OpenBLAS per block)",
                                        shape: shape, milliseconds: ours * 1e3, gflops: flops / ours / 1e9))
                rows.append(BenchRecord(group: "matmul", name: p.name + " — Tenfold SmallProduct per block",
                                        shape: shape, milliseconds: small * 1e3, gflops: flops / small / 1e9,
                                        note: "timed in turn with the row above"))
            } else {
                let ours = BenchTiming.median(budget: secondsPerMeasurement, product)
                rows.append(BenchRecord(group: "matmul", name: p.name + " — Tenfold", shape: shape,
                                        milliseconds: ours * 1e3, gflops: flops / ours / 1e9))
            }
            for threads in Parallel.threadCount > 1 ? [Parallel.threadCount, 1] : [1] {
                let raw = rawSgemm(p, a, b, &c, threads: threads)
                rows.append(BenchRecord(group: "matmul", name: p.name + " — cblas_sgemm, \(threads) OpenBLAS thread\(threads == 1 ? "" : "s")",
                                        shape: shape, milliseconds: raw * 1e3, gflops: flops / raw / 1e9,
                                        note: p.batch > 1 ? "\(p.batch) calls in a loop" : nil))
            }
        }
        rows.append(attentionBlocks(using: &rng))
        emit(rows, title: "Matrix products (GFLOP/s; the machine's peak is ≈200 with 2 threads, ≈105 with 1)",
             unit: "GFLOP/s") { $0.gflops ?? 0 }
    }

    /// `fusedAttention` forward and backward at BERT-mini scale (B = 32, T = 128, H = 256,
    /// A = 4, dropout 0.1): its six block products, with the softmax, dropout and the
    /// rest around them, in GFLOP/s of the products alone — what the training step sees.
    func attentionBlocks(using rng: inout SeededGenerator) -> BenchRecord {
        let (B, T, H, A) = (32, 128, 256, 4)
        let qkv = Variable(differentiable: Tensor.normal([B, T, 3 * H], using: &rng))
        let gradient = Tensor.normal([B, T, H], using: &rng)
        let lengths = [Int](repeating: T, count: B)
        let seconds = BenchTiming.median(budget: secondsPerMeasurement) {
            let (_, context) = fusedAttention(qkv, heads: A, scale: 0.125, bias: nil, keyLengths: lengths,
                                              dropout: 0.1, seed: 7)
            context.backward(seed: gradient)
            qkv.zeroGradient()
        }
        let flops = 6 * 2.0 * Double(B * A * T * T * (H / A))
        return BenchRecord(group: "matmul", name: "fused attention, forward + backward (6 products per block)",
                           shape: "[\(B), \(T), \(3 * H)], \(A) heads", milliseconds: seconds * 1e3,
                           gflops: flops / seconds / 1e9)
    }

    /// A batched product as `fusedAttention` computes its blocks: `SmallProduct` on each
    /// block, the blocks split over the cores.
    func smallBlocks(_ p: Product, _ a: Tensor, _ b: Tensor, _ c: inout Tensor) {
        let pa = a.pointer, pb = b.pointer
        let (aBlock, bBlock, cBlock) = (p.m * p.k, p.k * p.n, p.m * p.n)
        let aView = { (i: Int) in p.transposeA ? StridedMatrix(pa + i * aBlock, rowStride: p.m).transposed
                                               : StridedMatrix(pa + i * aBlock, rowStride: p.k) }
        let bView = { (i: Int) in p.transposeB ? StridedMatrix(pb + i * bBlock, rowStride: p.k).transposed
                                               : StridedMatrix(pb + i * bBlock, rowStride: p.n) }
        let scratchCount = SmallProduct.scratchCount(m: p.m, n: p.n, k: p.k)
        c.withUnsafeMutableBufferPointer { buffer in
            let pc = buffer.baseAddress!
            Parallel.forChunks(of: p.batch, minimumChunk: 1) { blocks in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                defer { scratch.deallocate() }
                for i in blocks {
                    SmallProduct.multiply(m: p.m, n: p.n, k: p.k, aView(i), bView(i), into: pc + i * cBlock,
                                          ldc: p.n, scratch: scratch)
                }
            }
        }
    }

    /// One `cblas_sgemm` per product with OpenBLAS's own threading; restores one thread.
    func rawSgemm(_ p: Product, _ a: Tensor, _ b: Tensor, _ c: inout Tensor, threads: Int) -> Double {
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        let lda = p.transposeA ? p.m : p.k, ldb = p.transposeB ? p.k : p.n
        let pa = a.pointer, pb = b.pointer
        return c.withUnsafeMutableBufferPointer { buffer in
            let pc = buffer.baseAddress!
            return BenchTiming.median(budget: secondsPerMeasurement) {
                for i in 0..<p.batch {
                    cblas_sgemm(CblasRowMajor, p.transposeA ? CblasTrans : CblasNoTrans,
                                p.transposeB ? CblasTrans : CblasNoTrans,
                                Int32(p.m), Int32(p.n), Int32(p.k), 1,
                                pa + i * p.m * p.k, Int32(lda), pb + i * p.k * p.n, Int32(ldb),
                                0, pc + i * p.m * p.n, Int32(p.n))
                }
            }
        }
    }

    // MARK: Bandwidth-bound kernels

    func bandwidthKernels(rows: Int, columns: Int, using rng: inout SeededGenerator, note: String) {
        let shape = [rows, columns]
        let x = Tensor.normal(shape, using: &rng), g = Tensor.normal(shape, using: &rng)
        let bias = Tensor.normal([columns], using: &rng)
        let gamma = Tensor.normal([columns], mean: 1, std: 0.1, using: &rng)
        let beta = Tensor.normal([columns], std: 0.1, using: &rng)
        let y = softmax(x), logY = logSoftmax(x)
        let norm = layerNorm(x, gamma: gamma, beta: beta, epsilon: 1e-12)
        let tensorBytes = Double(x.count * MemoryLayout<Float>.size)
        let shapeText = "\(shape)"

        // (name, tensors read + written, the kernel)
        let cases: [(String, Double, () -> Void)] = [
            ("softmax forward", 2, { _ = softmax(x) }),
            ("softmax backward", 3, { _ = softmaxBackward(g, output: y) }),
            ("logSoftmax forward", 2, { _ = logSoftmax(x) }),
            ("logSoftmax backward", 3, { _ = logSoftmaxBackward(g, output: logY) }),
            ("layerNorm forward", 2, { _ = layerNorm(x, gamma: gamma, beta: beta, epsilon: 1e-12) }),
            ("layerNorm backward", 3, { _ = layerNormBackward(g, x: x, gamma: gamma, mean: norm.mean, rstd: norm.rstd) }),
            ("gelu forward", 2, { _ = gelu(x) }),
            ("gelu backward", 3, { _ = geluBackward(g, input: x) }),
            ("gelu forward, scalar libm erff (for comparison)", 2, { _ = Self.geluWithLibmErf(x) }),
            ("dropout p = 0.1", 2, { _ = dropout(x, probability: 0.1, seed: 1) }),
            ("bias add x + b[H]", 2, { _ = x + bias }),
            ("multiply x ⊙ g", 3, { _ = x * g }),
            ("exp", 2, { _ = exp(x) }),
            ("sum over rows (axis 0)", 1, { _ = sum(x, axis: 0) }),
            ("sum over columns (axis 1)", 1, { _ = sum(x, axis: 1) }),
        ]
        // The machine's bandwidth, as STREAM's triad a = b + s·c on the cores: the yardstick
        // the kernels are compared with. Each kernel is timed in turn with the triad, and its
        // share is of the triad measured alongside it: bandwidth on this kind of machine
        // drifts within a run, so only a ratio taken at the same moment means much.
        var triadOutput = Tensor(uninitializedShape: shape)
        let triad: () -> Void = {
            let pb = x.pointer, pc = g.pointer, n = x.count
            triadOutput.withUnsafeMutableBufferPointer { out in
                let pa = out.baseAddress!
                Parallel.forChunks(of: n, minimumChunk: 1 << 16) { range in
                    for i in range { pa[i] = pb[i] + 3 * pc[i] }
                }
            }
        }
        var records: [BenchRecord] = []
        var triadTimes: [Double] = []
        for (name, tensors, kernel) in cases {
            let (seconds, triadSeconds) = BenchTiming.alternatingMedians(budget: secondsPerMeasurement, kernel,
                                                                         reference: triad)
            triadTimes.append(triadSeconds)
            let rate = tensors * tensorBytes / seconds / 1e9
            let triadRate = 3 * tensorBytes / triadSeconds / 1e9
            records.append(BenchRecord(group: "bandwidth", name: name, shape: shapeText, milliseconds: seconds * 1e3,
                                       gigabytesPerSecond: rate, note: note, fractionOfTriad: rate / triadRate))
        }
        triadTimes.sort()
        let triadSeconds = triadTimes[triadTimes.count / 2]
        records.insert(BenchRecord(group: "bandwidth", name: "memory triad a = b + 3·c (the reference; median)",
                                   shape: shapeText, milliseconds: triadSeconds * 1e3,
                                   gigabytesPerSecond: 3 * tensorBytes / triadSeconds / 1e9, note: note,
                                   fractionOfTriad: 1), at: 0)
        emit(records, title: "Bandwidth-bound kernels on \(shapeText) (GB/s read + written; \(note); each kernel's share is of the triad timed in turn with it)",
             unit: "GB/s") { $0.gigabytesPerSecond ?? 0 }
    }

    /// GELU with glibc's scalar `erff`, to show what the vectorised Φ buys.
    static func geluWithLibmErf(_ x: Tensor) -> Tensor {
        var out = Tensor(uninitializedShape: x.shape)
        let px = x.pointer
        out.withUnsafeMutableBufferPointer { o in
            let po = o.baseAddress!
            Parallel.forChunks(of: x.count, minimumChunk: 1 << 14) { range in
                for i in range { po[i] = px[i] * 0.5 * (1 + erff(px[i] * 0.707_106_77)) }
            }
        }
        return out
    }

    // MARK: Output

    func emit(_ records: [BenchRecord], title: String, unit: String, value: (BenchRecord) -> Double) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for r in records {
                if let data = try? encoder.encode(r), let line = String(data: data, encoding: .utf8) { print(line) }
            }
            return
        }
        print("\n" + title)
        let nameWidth = records.map(\.name.count).max() ?? 0
        let shapeWidth = records.map(\.shape.count).max() ?? 0
        for r in records {
            let name = r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let shape = r.shape.padding(toLength: shapeWidth, withPad: " ", startingAt: 0)
            let amount = String(format: "%7.1f %@", value(r), unit)
            let time = String(format: "%9.3f ms", r.milliseconds)
            let share = r.fractionOfTriad.map { String(format: "  %4.0f%% of the triad", $0 * 100) } ?? ""
            print("  \(name)  \(shape)  \(time)  \(amount)\(share)\(r.note.map { r.group == "matmul" ? "  (\($0))" : "" } ?? "")")
        }
    }
}

/// `tenfold bench --sgemm-peak`: the machine's SGEMM peak, the yardstick for "fraction of
/// peak" (≈200–210 GFLOP/s with 2 threads on the project's 2-core machines).
///
/// The best of one raw `cblas_sgemm` call with OpenBLAS's own threads (as many as the
/// cores) on large square products, n = 2048 and 3072, where the kernel runs at full speed.
struct SgemmPeakBenchmark {
    var secondsPerMeasurement: Double
    var json: Bool

    func run() {
        var rng = SeededGenerator(seed: 7)
        var best = 0.0
        var rows: [BenchRecord] = []
        for n in [2048, 3072] {
            let a = Tensor.normal([n, n], using: &rng), b = Tensor.normal([n, n], using: &rng)
            var c = Tensor(uninitializedShape: [n, n])
            let product = KernelBenchmark.Product(name: "square \(n)", m: n, n: n, k: n)
            let seconds = KernelBenchmark(secondsPerMeasurement: secondsPerMeasurement, json: json)
                .rawSgemm(product, a, b, &c, threads: Parallel.threadCount)
            let gflops = 2.0 * Double(n * n * n) / seconds / 1e9
            best = max(best, gflops)
            rows.append(BenchRecord(group: "sgemm-peak", name: "cblas_sgemm, \(Parallel.threadCount) OpenBLAS threads",
                                    shape: "[\(n),\(n)]·[\(n),\(n)]", milliseconds: seconds * 1e3, gflops: gflops))
        }
        if json {
            print("{\"sgemm_peak_gflops\": \(String(format: "%.2f", best)), \"threads\": \(Parallel.threadCount)}")
        } else {
            for row in rows {
                print("\(row.name) \(row.shape): \(String(format: "%.1f", row.gflops!)) GFLOP/s")
            }
            print("SGEMM peak: \(String(format: "%.1f", best)) GFLOP/s")
        }
    }
}
