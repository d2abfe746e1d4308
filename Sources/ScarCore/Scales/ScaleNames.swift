/// The scales as a reader names them; ids (`gb-quantitative`) stay in data and the API.
public enum ScaleNames {
    public static func label(_ id: String) -> String {
        switch id {
        case GoodmanBaronQuantitative.id: "Goodman & Baron quantitative"
        case GoodmanBaronQualitative.id: "Goodman & Baron qualitative"
        case ECCA.id: "ECCA"
        default: id
        }
    }
}
