import CKernels
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Elementwise arithmetic: `+ − × ÷` between tensors, with broadcasting over leading
/// dimensions, and between a tensor and a scalar.
///
///     let y = x + bias              // [B, T, H] + [H] → [B, T, H]
///     let z = 2 * y - 1             // a scalar on either side
///     let w = -z / x                // equal shapes
///
/// Broadcasting rule: one operand's shape must be a suffix of the other's (`[H]` of
/// `[B, T, H]`, `[T, H]` of `[B, T, H]`, `[]` of anything); the smaller one is repeated
/// over the leading dimensions of the larger. That is all a transformer needs (biases,
/// scales, positional tables) and it keeps every inner loop contiguous.
/// Introduced in Chapter 1 (Foundation).
extension Tensor {
    /// a + b, broadcasting over leading dimensions.
    public static func + (a: Tensor, b: Tensor) -> Tensor { combine(a, b, .add) }
    /// a − b, broadcasting over leading dimensions.
    public static func - (a: Tensor, b: Tensor) -> Tensor { combine(a, b, .subtract) }
    /// a ⊙ b (elementwise), broadcasting over leading dimensions.
    public static func * (a: Tensor, b: Tensor) -> Tensor { combine(a, b, .multiply) }
    /// a ⊘ b (elementwise), broadcasting over leading dimensions.
    public static func / (a: Tensor, b: Tensor) -> Tensor { combine(a, b, .divide) }

    public static func + (a: Tensor, s: Float) -> Tensor { combine(a, Tensor(s), .add) }
    public static func + (s: Float, a: Tensor) -> Tensor { combine(Tensor(s), a, .add) }
    public static func - (a: Tensor, s: Float) -> Tensor { combine(a, Tensor(s), .subtract) }
    public static func - (s: Float, a: Tensor) -> Tensor { combine(Tensor(s), a, .subtract) }
    public static func * (a: Tensor, s: Float) -> Tensor { combine(a, Tensor(s), .multiply) }
    public static func * (s: Float, a: Tensor) -> Tensor { combine(Tensor(s), a, .multiply) }
    public static func / (a: Tensor, s: Float) -> Tensor { combine(a, Tensor(s), .divide) }
    public static func / (s: Float, a: Tensor) -> Tensor { combine(Tensor(s), a, .divide) }

    /// −x, elementwise.
    public static prefix func - (x: Tensor) -> Tensor { combine(Tensor(-1), x, .multiply) }

    /// The shape of `a ∘ b` under the suffix rule, and which operand is repeated.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        if a.count >= b.count && Array(a.suffix(b.count)) == b { return a }
        if Array(b.suffix(a.count)) == a { return b }
        preconditionFailure("cannot broadcast \(a) with \(b): one shape must end with the other")
    }

    /// `gradient` summed over the leading dimensions that were broadcast to reach it, so it
    /// has `shape` again (the backward of broadcasting; returned as is when shapes agree).
    public func reduced(to shape: [Int]) -> Tensor {
        self.shape == shape ? self : sumLeading(to: shape)
    }

    enum ArithmeticOperator { case add, subtract, multiply, divide }

    static func combine(_ a: Tensor, _ b: Tensor, _ op: ArithmeticOperator) -> Tensor {
        let shape = broadcastShape(a.shape, b.shape)
        var out = Tensor(uninitializedShape: shape)
        let total = out.count
        // The operand with fewer elements repeats every `period` elements of the output.
        let aPeriod = a.count, bPeriod = b.count
        let pa = a.pointer, pb = b.pointer
        out.withUnsafeMutableBufferPointer { o in
            let po = o.baseAddress!
            Parallel.forChunks(of: total, minimumChunk: 1 << 15) { range in
                var i = range.lowerBound
                while i < range.upperBound {
                    // One contiguous run in which neither operand wraps around.
                    let ai = i % aPeriod, bi = i % bPeriod
                    let run = Swift.min(range.upperBound - i, aPeriod == 1 ? Int.max : aPeriod - ai,
                                        bPeriod == 1 ? Int.max : bPeriod - bi)
                    combineRun(pa + ai, aPeriod == 1, pb + bi, bPeriod == 1, po + i, run, op)
                    i += run
                }
            }
        }
        return out
    }

    @inline(__always)
    static func combineRun(_ a: UnsafePointer<Float>, _ aIsScalar: Bool, _ b: UnsafePointer<Float>,
                           _ bIsScalar: Bool, _ o: UnsafeMutablePointer<Float>, _ n: Int,
                           _ op: ArithmeticOperator) {
        switch op {
        case .add: combineRun(a, aIsScalar, b, bIsScalar, o, n, +)
        case .subtract: combineRun(a, aIsScalar, b, bIsScalar, o, n, -)
        case .multiply: combineRun(a, aIsScalar, b, bIsScalar, o, n, *)
        case .divide: combineRun(a, aIsScalar, b, bIsScalar, o, n, /)
        }
    }

    // Three loop shapes, each simple enough for the compiler to vectorise.
    @inline(__always)
    static func combineRun(_ a: UnsafePointer<Float>, _ aIsScalar: Bool, _ b: UnsafePointer<Float>,
                           _ bIsScalar: Bool, _ o: UnsafeMutablePointer<Float>, _ n: Int,
                           _ f: (Float, Float) -> Float) {
        if aIsScalar && !bIsScalar {
            let s = a[0]
            for k in 0..<n { o[k] = f(s, b[k]) }
        } else if bIsScalar && !aIsScalar {
            let s = b[0]
            for k in 0..<n { o[k] = f(a[k], s) }
        } else {
            for k in 0..<n { o[k] = f(a[k], b[k]) }
        }
    }

    /// Applies a scalar function to every element, in parallel for large tensors.
    @inline(__always)
    func map(minimumChunk: Int = 1 << 14, _ f: (Float) -> Float) -> Tensor {
        mapChunks(minimumChunk: minimumChunk) { range, x, y in
            for i in range { y[i] = f(x[i]) }
        }
    }

    /// A new tensor of the same shape whose elements `body(range, x, y)` writes from this
    /// one's, over chunks of the elements split across the cores.
    ///
    /// For the vectorised kernels (`exp`, `gelu`) `body` calls the C kernel on the whole
    /// chunk: a per-element function passed in as a closure and called from the per-chunk
    /// closure was measured not to be inlined on the parallel path, so the compiler kept an
    /// indirect call per element there and vectorised nothing.
    @inline(__always)
    func mapChunks(minimumChunk: Int = 1 << 14,
                   _ body: (Range<Int>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        let px = pointer
        out.withUnsafeMutableBufferPointer { o in
            let po = o.baseAddress!
            Parallel.forChunks(of: count, minimumChunk: minimumChunk) { range in body(range, px, po) }
        }
        return out
    }
}

/// eˣ, elementwise (relative error ≤ 2·10⁻⁷; the loop is the C kernel `tenfold_exp`, with
/// AVX2+FMA when the CPU has them, whose comments give the method).
/// Shape: any → the same. Backward: ∂ℓ/∂x = ∂ℓ/∂y ⊙ y.
/// Introduced in Chapter 1 (Foundation).
public func exp(_ x: Tensor) -> Tensor {
    x.mapChunks { range, x, y in
        tenfold_exp(x + range.lowerBound, y + range.lowerBound, range.count)
    }
}

/// ln x, elementwise (libm's `logf`; −∞ at 0, NaN below).
/// Shape: any → the same. Backward: ∂ℓ/∂x = ∂ℓ/∂y ⊘ x.
/// Introduced in Chapter 1 (Foundation).
public func log(_ x: Tensor) -> Tensor { x.map(minimumChunk: 1 << 12) { logf($0) } }

/// √x, elementwise. Shape: any → the same. Backward: ∂ℓ/∂x = ∂ℓ/∂y ⊘ 2y.
/// Introduced in Chapter 1 (Foundation).
public func sqrt(_ x: Tensor) -> Tensor { x.map { $0.squareRoot() } }

/// Which vector instructions the C kernels behind exp, softmax and GELU use on this CPU:
/// `"AVX2+FMA"` when the processor has them (x86-64), else `"baseline"` (SSE2 or NEON).
/// Introduced in Chapter 1 (Foundation).
public var elementwiseKernelInstructions: String {
    tenfold_kernels_use_avx2() != 0 ? "AVX2+FMA" : "baseline"
}
