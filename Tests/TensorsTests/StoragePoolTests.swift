import XCTest
@testable import Tensors

final class StoragePoolTests: XCTestCase {
    /// A freed large block is handed out again for the same size; small blocks and blocks
    /// beyond the limit are not kept.
    func testLargeBlocksAreReusedWithinTheLimit() {
        let pool = StoragePool(limitBytes: 3 * StoragePool.minimumPooledCount * 4)
        let count = StoragePool.minimumPooledCount
        let first = pool.allocate(count: count)
        pool.release(first, count: count)
        XCTAssertEqual(pool.bytesCached, count * 4)
        let second = pool.allocate(count: count)
        XCTAssertEqual(second, first, "the cached block is reused")
        XCTAssertEqual(pool.bytesCached, 0)

        let small = pool.allocate(count: 100)
        pool.release(small, count: 100)
        XCTAssertEqual(pool.bytesCached, 0, "small blocks go back to the allocator")

        let big = pool.allocate(count: 4 * count)
        pool.release(big, count: 4 * count)
        XCTAssertEqual(pool.bytesCached, 0, "a block larger than the limit is not cached")

        pool.release(second, count: count)
        pool.drain()
        XCTAssertEqual(pool.bytesCached, 0)
    }

    /// Tensors built on reused memory hold exactly what they were given.
    func testReusedStorageHoldsNewValues() {
        let n = StoragePool.minimumPooledCount
        for value in [Float(1), 2, 3] {
            let t = Tensor(shape: [n], repeating: value)
            XCTAssertEqual(t.scalars.min(), value)
            XCTAssertEqual(t.scalars.max(), value)
        }
    }
}
