/// The one builder for the SVG the product draws (the face diagram, the progress charts, the
/// analytics bar charts). Every attribute value and every text goes through `Markup.escape`, so
/// no caller writes markup by hand. Presentation attributes only: the strict CSP forbids inline
/// style and script. Attributes are written in the order given.
struct SVG {
    typealias Attributes = KeyValuePairs<String, String>

    private(set) var markup: String

    /// Opens the root element (`xmlns` first, then `attributes`) and writes its accessible title,
    /// `<title id="titleId">`, on the next line.
    init(_ attributes: Attributes, titleId: String, title: String) {
        markup = "<svg xmlns=\"http://www.w3.org/2000/svg\"" + Self.attributes(attributes) + ">\n"
        markup += "<title id=\"\(Markup.escape(titleId))\">\(Markup.escape(title))</title>\n"
    }

    /// An element: `<name …/>`, or with a tooltip `<title>` and/or text, `<name …><title>…</title>text</name>`.
    mutating func element(_ name: String, _ attributes: Attributes, title: String? = nil, text: String? = nil) {
        markup += "<\(name)" + Self.attributes(attributes)
        guard title != nil || text != nil else { markup += "/>"; return }
        markup += ">"
        if let title { markup += "<title>\(Markup.escape(title))</title>" }
        if let text { markup += Markup.escape(text) }
        markup += "</\(name)>"
    }

    /// A group `<g …>` around what `body` draws, with an optional tooltip `<title>` first.
    mutating func group(_ attributes: Attributes, title: String? = nil, _ body: (inout SVG) -> Void) {
        markup += "<g" + Self.attributes(attributes) + ">"
        if let title { markup += "<title>\(Markup.escape(title))</title>" }
        body(&self)
        markup += "</g>"
    }

    /// A line break between elements, so the page source reads row by row.
    mutating func newline() { markup += "\n" }

    /// The finished document.
    var closed: String { markup + "</svg>" }

    /// A coordinate without a needless ".0" (`12`, `12.5`).
    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }

    private static func attributes(_ attributes: Attributes) -> String {
        attributes.map { " \($0.key)=\"\(Markup.escape($0.value))\"" }.joined()
    }
}
