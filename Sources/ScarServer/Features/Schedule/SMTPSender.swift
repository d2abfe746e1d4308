import Foundation
import Logging
import NIOCore
import NIOPosix
import ScarStore

/// Sends outbox messages by SMTP (RFC 5321), configured by `SCARTRACK_SMTP_HOST`, `_PORT`,
/// `_FROM` and optionally `_USERNAME`/`_PASSWORD` (AUTH PLAIN). Plain SMTP to a relay the
/// clinic controls (typically on the same host or network); STARTTLS is not offered yet.
///
/// The message's `Message-ID` is its outbox idempotency key, so a retry after a lost
/// acknowledgement is recognisable downstream; the outbox itself marks a message `sent` only
/// after the server's final `250`, and any failure (connection refused, a 4xx/5xx reply, a
/// timeout) throws, so the dispatcher retries it later instead of losing it.
public struct SMTPMessageSender: MessageSender {
    public var host: String
    public var port: Int
    public var from: String
    public var username: String?
    public var password: String?
    /// Seconds for the whole conversation.
    public var timeout: Int64 = 30
    public var heloName: String = "scartrack.localhost"

    public init(host: String, port: Int, from: String, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.from = from
        self.username = username
        self.password = password
    }

    public var name: String { "smtp (\(host):\(port))" }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public func send(_ message: OutboxMessage) async throws {
        guard SMTPMessage.isAddress(message.recipient) else {
            throw Failure(description: "The recipient has no email address (\(message.recipient.prefix(40))); the message cannot go by SMTP.")
        }
        let data = SMTPMessage.render(message, from: from, date: Date())
        try await withDeadline(seconds: timeout) {
            try await converse(recipient: message.recipient, data: data)
        }
    }

    func converse(recipient: String, data: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            /// One reply (multi-line replies continue with `250-`); throws unless its code is expected.
            func expect(_ codes: Set<Int>, after command: String) async throws {
                var text: [String] = []
                while true {
                    guard let line = try await lines.next() else {
                        throw Failure(description: "The SMTP server closed the connection after \(command)")
                    }
                    text.append(line)
                    let chars = Array(line)
                    if chars.count < 4 || chars[3] != "-" {
                        guard let code = Int(String(chars.prefix(3))), codes.contains(code) else {
                            throw Failure(description: "SMTP \(command) refused: \(text.joined(separator: " / ").prefix(300))")
                        }
                        return
                    }
                }
            }
            func send(_ line: String) async throws {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
            }
            try await expect([220], after: "connecting")
            try await send("EHLO \(heloName)")
            try await expect([250], after: "EHLO")
            if let username, let password {
                let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await send("AUTH PLAIN \(token)")
                try await expect([235], after: "AUTH")
            }
            try await send("MAIL FROM:<\(from)>")
            try await expect([250], after: "MAIL FROM")
            try await send("RCPT TO:<\(recipient)>")
            try await expect([250, 251], after: "RCPT TO")
            try await send("DATA")
            try await expect([354], after: "DATA")
            try await outbound.write(ByteBuffer(string: data + "\r\n.\r\n"))
            try await expect([250], after: "the message")
            try? await send("QUIT")
        }
    }

    func withDeadline(seconds: Int64, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw Failure(description: "The SMTP conversation took longer than \(seconds) s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}

/// Splits the byte stream into lines without their CR LF.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 64 * 1024 { throw SMTPMessageSender.Failure(description: "An SMTP line longer than 64 KiB") }
            return .needMoreData
        }
        var line = buffer.readString(length: newline - view.startIndex + 1) ?? ""
        // "\r\n" is one Character in Swift: strip by newline-ness, not by suffix.
        while let last = line.last, last.isNewline { line.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while true {
            if case .needMoreData = try decode(context: context, buffer: &buffer) { return .needMoreData }
        }
    }
}

/// The RFC 5322 text of one outbox message: plain text, UTF-8, base64 body (no dot-stuffing or
/// line-length issues), `Message-ID` from the idempotency key, header values without CR/LF.
enum SMTPMessage {
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
            && !text.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" }
    }

    static func header(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) else {
            return "=?utf-8?B?\(Data(clean.utf8).base64EncodedString())?="
        }
        return clean
    }

    static func messageId(_ key: String) -> String {
        let safe = String(key.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) ? Character($0) : "-" })
        return "<\(safe)@scartrack.invalid>"
    }

    static func render(_ m: OutboxMessage, from: String, date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let body = Data(m.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(header(from))", "To: \(header(m.recipient))", "Subject: \(header(m.subject))", "Date: \(f.string(from: date))",
            "Message-ID: \(messageId(m.idempotencyKey))", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64", "", body,
        ].joined(separator: "\r\n")
    }
}
