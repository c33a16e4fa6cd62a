import Tensors

/// The outcome of comparing a backward pass with central finite differences.
public struct GradcheckReport: CustomStringConvertible, Sendable {
    /// One disagreement: which input, which element, the two values.
    public struct Mismatch: Sendable {
        public var input: Int, index: Int
        public var analytic: Float, numeric: Float
    }
    /// Largest |analytic − numeric| over every checked element.
    public var maxAbsoluteError: Float
    /// Largest |analytic − numeric| / max(|analytic|, |numeric|, floor).
    public var maxRelativeError: Float
    /// Elements outside tolerance (the first few).
    public var mismatches: [Mismatch]
    public var checkedElements: Int
    public var passed: Bool { mismatches.isEmpty }

    public var description: String {
        var s = "gradcheck: \(checkedElements) elements, max abs error \(maxAbsoluteError), max rel error \(maxRelativeError)"
        for m in mismatches.prefix(8) {
            s += "\n  input \(m.input)[\(m.index)]: backward \(m.analytic), finite differences \(m.numeric)"
        }
        return s
    }
}

/// Checks an operation's backward pass against central differences.
///
///     var rng = SeededGenerator(seed: 3)
///     let report = gradcheck(inputs: [Tensor.normal([4, 5], using: &rng)], using: &rng) { x in
///         softmax(x[0])
///     }
///     XCTAssert(report.passed, report.description)
///
/// The function's output (any shape) is reduced to a scalar ℓ = Σ r ⊙ f(x) with a fixed
/// random `r`, so every output element's gradient is exercised. For each input element,
/// ∂ℓ/∂x ≈ (ℓ(x + ε) − ℓ(x − ε)) / 2ε, with ℓ summed in Double to keep the Float32
/// rounding of f below the tolerance. An element fails when
/// |analytic − numeric| > absoluteTolerance + relativeTolerance·|numeric|.
///
/// - Parameters:
///   - inputs: the values to differentiate with respect to.
///   - epsilon: the finite-difference step (Float32 work wants ~1e-2…1e-3).
///   - maxElementsPerInput: check at most this many elements per input (spread evenly).
///   - function: builds the computation from differentiable leaves (one per input).
public func gradcheck(inputs: [Tensor], epsilon: Float = 1e-2,
                      absoluteTolerance: Float = 1e-3, relativeTolerance: Float = 1e-2,
                      maxElementsPerInput: Int = 200, using rng: inout SeededGenerator,
                      _ function: ([Variable]) -> Variable) -> GradcheckReport {
    // Analytic gradients.
    let leaves = inputs.enumerated().map { Variable(differentiable: $0.element, name: "x\($0.offset)") }
    let output = function(leaves)
    let projection = Tensor.uniform(output.shape, low: -1, high: 1, using: &rng)
    output.backward(seed: projection)

    func objective(_ values: [Tensor]) -> Double {
        let out = Gradients.withoutRecording {
            function(values.enumerated().map { Variable(differentiable: $0.element, name: "x\($0.offset)") })
        }
        var total = 0.0
        out.value.withUnsafeBufferPointer { o in
            projection.withUnsafeBufferPointer { r in
                for i in 0..<o.count { total += Double(o[i]) * Double(r[i]) }
            }
        }
        return total
    }

    var report = GradcheckReport(maxAbsoluteError: 0, maxRelativeError: 0, mismatches: [], checkedElements: 0)
    for (which, input) in inputs.enumerated() {
        let analytic = leaves[which].gradient ?? Tensor.zeros(input.shape)
        let stride = max(1, input.count / maxElementsPerInput)
        for index in Swift.stride(from: 0, to: input.count, by: stride) {
            var values = inputs
            let original = input.pointer[index]
            values[which].withUnsafeMutableBufferPointer { $0[index] = original + epsilon }
            let plus = objective(values)
            values[which].withUnsafeMutableBufferPointer { $0[index] = original - epsilon }
            let minus = objective(values)
            let numeric = Float((plus - minus) / (2 * Double(epsilon)))
            let a = analytic.pointer[index]
            let error = abs(a - numeric)
            report.checkedElements += 1
            report.maxAbsoluteError = max(report.maxAbsoluteError, error)
            report.maxRelativeError = max(report.maxRelativeError, error / max(abs(a), abs(numeric), 1e-3))
            if !(error <= absoluteTolerance + relativeTolerance * abs(numeric)) {
                report.mismatches.append(.init(input: which, index: index, analytic: a, numeric: numeric))
            }
        }
    }
    return report
}
