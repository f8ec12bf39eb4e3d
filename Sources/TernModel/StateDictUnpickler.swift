import Foundation

/// Reads the pickle that `torch.save(state_dict)` writes (`data.pkl`) without executing any of
/// it: a small interpreter for the opcodes such a pickle uses, which builds values instead of
/// calling code. Only these callables are recognised, and only as the recipes they are:
///
/// | global | becomes |
/// |---|---|
/// | `collections.OrderedDict` | an empty dictionary (its `_metadata` state is dropped) |
/// | `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)` | a `TensorReference` |
/// | `torch._utils._rebuild_parameter(tensor, …)` | the tensor |
/// | `torch.FloatStorage`, `HalfStorage`, `BFloat16Storage`, other `torch.*Storage` | the element type of a storage |
///
/// Any other global, opcode or call is refused with `StateDictUnpickler.Refusal`, naming it.
struct StateDictUnpickler {
    /// A tensor as the pickle describes it: a view of a storage, in elements.
    struct TensorReference: Equatable {
        var storageKey: String
        /// The element type as safetensors names it (`F32`, `F16`, `BF16`, `I64`, …).
        var dtype: String
        /// Elements in the storage, as the pickle claims.
        var storageElements: Int
        var offset: Int
        var shape: [Int]
        var strides: [Int]
    }

    /// Why a pickle was not read: an opcode or global outside the state-dict subset, or damage.
    struct Refusal: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The element types of the storage classes torch pickles, by class name.
    static let storageTypes: [String: String] = [
        "FloatStorage": "F32", "HalfStorage": "F16", "BFloat16Storage": "BF16", "DoubleStorage": "F64",
        "LongStorage": "I64", "IntStorage": "I32", "ShortStorage": "I16", "CharStorage": "I8",
        "ByteStorage": "U8", "BoolStorage": "BOOL",
    ]

    private indirect enum Value {
        case none, bool(Bool), int(Int), float(Double), string(String)
        case tuple([Value]), list([Value]), dictionary([(Value, Value)])
        case global(module: String, name: String)
        case storageType(String)
        case storage(key: String, dtype: String, elements: Int)
        case tensor(TensorReference)
        case mark

        var description: String {
            switch self {
            case .none: "None"
            case .bool: "a boolean"
            case .int: "an integer"
            case .float: "a float"
            case let .string(text): "the string '\(text.prefix(40))'"
            case .tuple: "a tuple"
            case .list: "a list"
            case .dictionary: "a dictionary"
            case let .global(module, name): "\(module).\(name)"
            case .storageType: "a storage type"
            case .storage: "a storage"
            case .tensor: "a tensor"
            case .mark: "a mark"
            }
        }
    }

    /// The tensors of the state dict pickled in `bytes`, by name, in the pickle's order.
    /// - Throws: `Refusal` naming the first opcode, global or value that a plain tensor state
    ///   dict does not have, or the damage found.
    static func tensors(in bytes: [UInt8]) throws -> [(name: String, tensor: TensorReference)] {
        var machine = StateDictUnpickler(bytes: bytes)
        let result = try machine.run()
        guard case let .dictionary(entries) = result else { throw Refusal("the pickle holds \(result.description), not a dictionary of tensors") }
        return try entries.map { key, value in
            guard case let .string(name) = key else { throw Refusal("a key is \(key.description), not a tensor name") }
            guard case let .tensor(tensor) = value else { throw Refusal("'\(name)' is \(value.description), not a tensor") }
            return (name, tensor)
        }
    }

    private let bytes: [UInt8]
    private var position = 0
    private var stack: [Value] = []
    private var memo: [Int: Value] = [:]

    private init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Reading the byte stream

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, position <= bytes.count - count else { throw Refusal("it ends in the middle of an opcode; the file is truncated") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func unsigned(_ width: Int) throws -> Int {
        let slice = try take(width)
        return slice.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw Refusal("a GLOBAL opcode has no end of line; the file is truncated") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    private mutating func text(length: Int) throws -> String {
        guard let decoded = String(validating: try take(length), as: UTF8.self) else { throw Refusal("a string is not valid UTF-8") }
        return decoded
    }

    // MARK: The stack

    private mutating func pop() throws -> Value {
        guard let value = stack.popLast(), !isMark(value) else { throw Refusal("an opcode finds the stack empty; the pickle is damaged") }
        return value
    }

    /// The values above the topmost mark, which is removed with them.
    private mutating func popToMark() throws -> [Value] {
        guard let index = stack.lastIndex(where: isMark) else { throw Refusal("an opcode needs a MARK that is missing; the pickle is damaged") }
        let values = Array(stack[(index + 1)...])
        stack.removeSubrange(index...)
        return values
    }

    private func isMark(_ value: Value) -> Bool {
        if case .mark = value { return true }
        return false
    }

    private mutating func topDictionary(adding pairs: [Value]) throws {
        guard pairs.count % 2 == 0, case var .dictionary(entries)? = stack.popLast() else {
            throw Refusal("SETITEMS does not apply to a dictionary; the pickle is damaged")
        }
        entries.append(contentsOf: stride(from: 0, to: pairs.count, by: 2).map { (pairs[$0], pairs[$0 + 1]) })
        stack.append(.dictionary(entries))
    }

    private mutating func topList(adding values: [Value]) throws {
        guard case var .list(items)? = stack.popLast() else { throw Refusal("APPENDS does not apply to a list; the pickle is damaged") }
        items.append(contentsOf: values)
        stack.append(.list(items))
    }

    // MARK: The interpreter

    private mutating func run() throws -> Value {
        while true {
            let opcode = try take(1).first!
            switch opcode {
            case 0x80: _ = try take(1) // PROTO
            case 0x95: _ = try take(8) // FRAME
            case 0x2E: return try pop() // STOP
            case 0x28: stack.append(.mark) // MARK
            case 0x4E: stack.append(.none) // NONE
            case 0x88: stack.append(.bool(true)) // NEWTRUE
            case 0x89: stack.append(.bool(false)) // NEWFALSE
            case 0x4B: stack.append(.int(try unsigned(1))) // BININT1
            case 0x4D: stack.append(.int(try unsigned(2))) // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try unsigned(4))))) // BININT
            case 0x8A: stack.append(.int(try longInteger(byteCount: try unsigned(1)))) // LONG1
            case 0x47: // BINFLOAT, big-endian
                let bits = try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x58: stack.append(.string(try text(length: try unsigned(4)))) // BINUNICODE
            case 0x8C: stack.append(.string(try text(length: try unsigned(1)))) // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(try text(length: try unsigned(8)))) // BINUNICODE8
            case 0x29: stack.append(.tuple([])) // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(try popToMark())) // TUPLE
            case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
                let count = Int(opcode) - 0x84
                guard stack.count >= count else { throw Refusal("a tuple opcode finds the stack too short; the pickle is damaged") }
                var items: [Value] = []
                for _ in 0..<count { items.insert(try pop(), at: 0) }
                stack.append(.tuple(items))
            case 0x7D: stack.append(.dictionary([])) // EMPTY_DICT
            case 0x5D: stack.append(.list([])) // EMPTY_LIST
            case 0x75: try topDictionary(adding: try popToMark()) // SETITEMS
            case 0x73: // SETITEM
                let value = try pop(), key = try pop()
                try topDictionary(adding: [key, value])
            case 0x65: try topList(adding: try popToMark()) // APPENDS
            case 0x61: try topList(adding: [try pop()]) // APPEND
            case 0x71: try remember(at: try unsigned(1)) // BINPUT
            case 0x72: try remember(at: try unsigned(4)) // LONG_BINPUT
            case 0x94: try remember(at: memo.count) // MEMOIZE
            case 0x68: try recall(try unsigned(1)) // BINGET
            case 0x6A: try recall(try unsigned(4)) // LONG_BINGET
            case 0x63: // GLOBAL
                let module = try line(), name = try line()
                stack.append(try Self.global(module: module, name: name))
            case 0x93: // STACK_GLOBAL
                guard case let .string(name) = try pop(), case let .string(module) = try pop() else {
                    throw Refusal("STACK_GLOBAL does not name a module and a name")
                }
                stack.append(try Self.global(module: module, name: name))
            case 0x51: stack.append(try Self.storage(persistentID: try pop())) // BINPERSID
            case 0x52: // REDUCE
                let arguments = try pop(), callable = try pop()
                stack.append(try Self.reduce(callable, arguments))
            case 0x62: // BUILD: the state of an OrderedDict (its `_metadata`) is dropped
                _ = try pop()
                guard case .dictionary? = stack.last else {
                    throw Refusal("BUILD sets the state of \(stack.last?.description ?? "nothing"), not of a state dict; Tern never executes pickle code")
                }
            default:
                throw Refusal("it uses pickle opcode 0x\(String(opcode, radix: 16)) at byte \(position - 1), which a plain tensor state dict does not")
            }
        }
    }

    private mutating func remember(at index: Int) throws {
        guard let top = stack.last, !isMark(top) else { throw Refusal("a memo opcode finds the stack empty; the pickle is damaged") }
        memo[index] = top
    }

    private mutating func recall(_ index: Int) throws {
        guard let value = memo[index] else { throw Refusal("it refers to memo entry \(index), which was never stored; the pickle is damaged") }
        stack.append(value)
    }

    /// A little-endian two's-complement integer of `byteCount` bytes (LONG1), if it fits `Int`.
    private mutating func longInteger(byteCount: Int) throws -> Int {
        guard byteCount <= 8 else { throw Refusal("an integer of \(byteCount) bytes is too large for a tensor size") }
        guard byteCount > 0 else { return 0 }
        let slice = try take(byteCount)
        let magnitude = slice.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let shift = UInt64(64 - 8 * byteCount)
        return Int(Int64(bitPattern: magnitude << shift) >> Int64(shift))
    }

    // MARK: The allowlist

    private static func global(module: String, name: String) throws -> Value {
        switch (module, name) {
        case ("collections", "OrderedDict"), ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_parameter"):
            return .global(module: module, name: name)
        case let ("torch", storage) where storageTypes[storage] != nil:
            return .storageType(storageTypes[storage]!)
        default:
            throw Refusal("it refers to the Python global '\(module).\(name)', which a plain tensor state dict does not; Tern never executes pickle code")
        }
    }

    /// A storage from its persistent id `('storage', torch.FloatStorage, key, location, elements)`.
    private static func storage(persistentID: Value) throws -> Value {
        guard case let .tuple(fields) = persistentID, fields.count == 5, case .string("storage") = fields[0],
              case let .storageType(dtype) = fields[1], case let .string(key) = fields[2], case let .int(elements) = fields[4], elements >= 0
        else { throw Refusal("a persistent id is not a torch storage reference; Tern never executes pickle code") }
        return .storage(key: key, dtype: dtype, elements: elements)
    }

    private static func reduce(_ callable: Value, _ arguments: Value) throws -> Value {
        guard case let .global(module, name) = callable, case let .tuple(items) = arguments else {
            throw Refusal("it calls \(callable.description), which a plain tensor state dict does not; Tern never executes pickle code")
        }
        switch (module, name) {
        case ("collections", "OrderedDict"):
            guard items.isEmpty else { throw Refusal("an OrderedDict is built from arguments; only empty ones are read") }
            return .dictionary([])
        case ("torch._utils", "_rebuild_parameter"):
            guard case .tensor? = items.first else { throw Refusal("_rebuild_parameter is not given a tensor") }
            return items[0]
        default: // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks, …)
            guard items.count >= 4, case let .storage(key, dtype, elements) = items[0], case let .int(offset) = items[1],
                  let shape = integers(items[2]), let strides = integers(items[3]), shape.count == strides.count, offset >= 0,
                  shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 })
            else { throw Refusal("_rebuild_tensor_v2 is given arguments that do not describe a tensor") }
            return .tensor(TensorReference(storageKey: key, dtype: dtype, storageElements: elements, offset: offset, shape: shape, strides: strides))
        }
    }

    private static func integers(_ value: Value) -> [Int]? {
        guard case let .tuple(items) = value else { return nil }
        var numbers: [Int] = []
        for item in items {
            guard case let .int(number) = item else { return nil }
            numbers.append(number)
        }
        return numbers
    }
}
