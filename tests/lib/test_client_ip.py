"""The client address behind trusted reverse proxies: X-Forwarded-For is read from the right and
only when the request came from a trusted proxy."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from medmatch.lib.client_ip import client_ip
from medmatch.lib.env import env_networks

PROXY = "10.0.0.1"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_x_forwarded_for_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXY_IPS = []
    assert client_ip(_request("198.51.100.9", "192.0.2.50")) == "198.51.100.9"


def test_it_ignores_x_forwarded_for_sent_from_an_untrusted_address(settings):
    settings.TRUSTED_PROXY_IPS = [PROXY]
    assert client_ip(_request("198.51.100.9", "192.0.2.50")) == "198.51.100.9"


def test_it_takes_the_address_the_trusted_proxy_appended(settings):
    settings.TRUSTED_PROXY_IPS = [PROXY]
    assert client_ip(_request(PROXY, "198.51.100.9")) == "198.51.100.9"


def test_it_ignores_a_spoofed_left_most_entry(settings):
    # The client sent "X-Forwarded-For: 192.0.2.50"; the proxy appended the address it saw.
    settings.TRUSTED_PROXY_IPS = [PROXY]
    assert client_ip(_request(PROXY, "192.0.2.50, 198.51.100.9")) == "198.51.100.9"


def test_it_walks_past_a_chain_of_trusted_proxies(settings):
    settings.TRUSTED_PROXY_IPS = ["10.0.0.0/8", "2001:db8::/32"]
    request = _request("2001:db8::1", "192.0.2.50, 198.51.100.9, 10.1.2.3")
    assert client_ip(request) == "198.51.100.9"


def test_it_skips_entries_that_are_not_addresses(settings):
    settings.TRUSTED_PROXY_IPS = [PROXY]
    assert client_ip(_request(PROXY, "198.51.100.9, unknown, ")) == "198.51.100.9"


def test_it_answers_the_proxy_itself_when_nothing_was_forwarded(settings):
    settings.TRUSTED_PROXY_IPS = [PROXY]
    assert client_ip(_request(PROXY)) == PROXY
    assert client_ip(_request(PROXY, "garbage")) == PROXY


def test_it_reads_ipv6_and_ipv4_mapped_addresses(settings):
    settings.TRUSTED_PROXY_IPS = ["::1"]
    assert client_ip(_request("::1", "2001:db8::7")) == "2001:db8::7"
    assert client_ip(_request("::ffff:198.51.100.9")) == "198.51.100.9"


def test_it_ignores_an_invalid_trusted_entry_set_at_run_time(settings):
    settings.TRUSTED_PROXY_IPS = ["not-an-address", PROXY]
    assert client_ip(_request(PROXY, "198.51.100.9")) == "198.51.100.9"


def test_it_answers_none_without_a_usable_remote_address(settings):
    assert client_ip(_request("")) is None
    assert client_ip(_request("nonsense")) is None


def test_it_reads_trusted_proxies_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", " 10.0.0.1 , 172.16.0.0/12,::1")
    assert env_networks("TRUSTED_PROXY_IPS") == ["10.0.0.1/32", "172.16.0.0/12", "::1/128"]
    monkeypatch.delenv("TRUSTED_PROXY_IPS")
    assert env_networks("TRUSTED_PROXY_IPS") == []


def test_it_refuses_to_start_with_an_invalid_trusted_proxy(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "10.0.0.1,proxy.example.org")
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXY_IPS: 'proxy\.example\.org'"):
        env_networks("TRUSTED_PROXY_IPS")
