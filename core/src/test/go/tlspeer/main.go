// tlspeer: Go's crypto/tls as a TLS client or server for securenet's interoperability tests.
// Loopback only; every outcome is one line on standard output.
//
//	tlspeer server -cert chain.pem -key key.pem [-ca root.pem -clientauth require] [-version 1.2|1.3]
//	    prints "LISTENING <port>", then per connection "HANDSHAKE version=<v> resumed=<bool> client=<cn>"
//	    or "FAILED <error>", and answers each line with "echo: <line>"
//	tlspeer client -port <p> -servername <name> -ca root.pem [-cert chain.pem -key key.pem]
//	    [-version 1.2|1.3] [-connections n]
//	    per connection prints "OK version=<v> resumed=<bool> answer=<line>" or "FAILED <error>"
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: tlspeer server|client ...")
		os.Exit(2)
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	certFile := flags.String("cert", "", "own certificate chain (PEM)")
	keyFile := flags.String("key", "", "own private key (PEM)")
	caFile := flags.String("ca", "", "trusted root (PEM)")
	clientAuth := flags.String("clientauth", "none", "server: none or require")
	version := flags.String("version", "", "1.2 or 1.3 only (default: both)")
	port := flags.Int("port", 0, "client: the server's port on 127.0.0.1")
	serverName := flags.String("servername", "localhost", "client: the name to verify and send as SNI")
	connections := flags.Int("connections", 1, "client: how many connections, sharing a session cache")
	flags.Parse(os.Args[2:])

	config := &tls.Config{MinVersion: tls.VersionTLS12}
	switch *version {
	case "1.2":
		config.MaxVersion = tls.VersionTLS12
	case "1.3":
		config.MinVersion = tls.VersionTLS13
	}
	if *certFile != "" {
		pair, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fmt.Println("FAILED", err)
			os.Exit(1)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Println("FAILED", err)
			os.Exit(1)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		config.RootCAs = pool
		config.ClientCAs = pool
	}
	if os.Args[1] == "server" {
		if *clientAuth == "require" {
			config.ClientAuth = tls.RequireAndVerifyClientCert
		}
		serve(config)
	} else {
		config.ServerName = *serverName
		config.ClientSessionCache = tls.NewLRUClientSessionCache(8)
		failed := false
		for i := 0; i < *connections; i++ {
			if !connect(config, *port) {
				failed = true
			}
		}
		if failed {
			os.Exit(1)
		}
	}
}

func serve(config *tls.Config) {
	listener, err := tls.Listen("tcp", "127.0.0.1:0", config)
	if err != nil {
		fmt.Println("FAILED", err)
		os.Exit(1)
	}
	fmt.Println("LISTENING", listener.Addr().(*net.TCPAddr).Port)
	for {
		connection, err := listener.Accept()
		if err != nil {
			return
		}
		go func(connection *tls.Conn) {
			defer connection.Close()
			connection.SetDeadline(time.Now().Add(20 * time.Second))
			if err := connection.Handshake(); err != nil {
				fmt.Println("FAILED", err)
				return
			}
			state := connection.ConnectionState()
			client := "none"
			if len(state.PeerCertificates) > 0 {
				client = state.PeerCertificates[0].Subject.CommonName
			}
			fmt.Printf("HANDSHAKE version=%s resumed=%t client=%s\n", versionName(state.Version), state.DidResume, client)
			lines := bufio.NewScanner(connection)
			for lines.Scan() {
				fmt.Fprintf(connection, "echo: %s\n", lines.Text())
			}
		}(connection.(*tls.Conn))
	}
}

func connect(config *tls.Config, port int) bool {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	connection, err := tls.DialWithDialer(dialer, "tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
	if err != nil {
		fmt.Println("FAILED", err)
		return false
	}
	defer connection.Close()
	connection.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintln(connection, "hello from go"); err != nil {
		fmt.Println("FAILED", err)
		return false
	}
	answer, err := bufio.NewReader(connection).ReadString('\n')
	if err != nil {
		// TLS 1.3: a refused client certificate surfaces on the first read
		fmt.Println("FAILED", err)
		return false
	}
	state := connection.ConnectionState()
	fmt.Printf("OK version=%s resumed=%t answer=%s\n", versionName(state.Version), state.DidResume, strings.TrimSpace(answer))
	return true
}

func versionName(version uint16) string {
	switch version {
	case tls.VersionTLS13:
		return "1.3"
	case tls.VersionTLS12:
		return "1.2"
	}
	return fmt.Sprintf("0x%04x", version)
}
