import Foundation

/// A small mutex (Foundation's NSLock), kept behind one name so the tape's counter reads plainly.
final class NSLockLike: @unchecked Sendable {
    private let lock = NSLock()
    func withLock<R>(_ body: () -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
