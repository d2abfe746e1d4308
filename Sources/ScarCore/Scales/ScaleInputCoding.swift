/// Codable forms of the scale inputs, using the same keys as the command line
/// (`{"A1":3,…,"D2AreaCm2":4.5}`, `{"vShapedUnder2mm":12,…}`), so an assessment stored by the
/// server reads like the input that produced it. Decoding goes through the validating
/// initialisers, so a stored negative count cannot come back.
struct ScaleCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension GoodmanBaronQuantitative.Input: Codable {
    static let areaKey = "D2AreaCm2"

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ScaleCodingKey.self)
        var counts: [GoodmanBaronQuantitative.Row: Int] = [:]
        for row in GoodmanBaronQuantitative.Row.countedRows {
            counts[row] = try c.decodeIfPresent(Int.self, forKey: ScaleCodingKey(row.rawValue))
        }
        let area = try c.decodeIfPresent(Double.self, forKey: ScaleCodingKey(Self.areaKey)) ?? 0
        do { try self.init(counts: counts, keloidAreaCm2: area) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error.field) \(error.message)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ScaleCodingKey.self)
        for row in GoodmanBaronQuantitative.Row.countedRows {
            try c.encode(count(row), forKey: ScaleCodingKey(row.rawValue))
        }
        try c.encode(keloidAreaCm2, forKey: ScaleCodingKey(Self.areaKey))
    }
}

extension ECCA.Input: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ScaleCodingKey.self)
        var counts: [ECCA.Item: Int] = [:]
        for item in ECCA.Item.allCases {
            counts[item] = try c.decodeIfPresent(Int.self, forKey: ScaleCodingKey(item.rawValue))
        }
        do { try self.init(counts: counts) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error.field) \(error.message)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ScaleCodingKey.self)
        for item in ECCA.Item.allCases {
            try c.encode(count(item), forKey: ScaleCodingKey(item.rawValue))
        }
    }
}
