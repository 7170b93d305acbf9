import { describe, expect, it } from 'vitest';
import { describeFault, keyNamedBy, mayHaveReached } from './outbox.ts';
import { SefazFault, SefazUnreachable } from './port.ts';

const KEY = '35260645997418000153650010000000421739205186';

describe('the outbox reading SEFAZ’s answers and faults', () => {
  it('reads the key rejection 539 names, with or without a space', () => {
    expect(
      keyNamedBy(`Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso [chNFe: ${KEY}][nProt:1]`),
    ).toBe(KEY);
    expect(keyNamedBy(`Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso [chNFe:${KEY}]`)).toBe(
      KEY,
    );
    expect(keyNamedBy('Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso')).toBeUndefined();
  });

  it('consults before resending only after a fault that may have reached SEFAZ', () => {
    const kept = (fault: unknown) => describeFault(fault);
    expect(mayHaveReached(kept(new SefazFault('timeout', 'NFeAutorizacao4', 'no answer in 30 s')))).toBe(
      true,
    );
    expect(mayHaveReached(kept(new SefazFault('http_status', 'NFeAutorizacao4', 'HTTP 502')))).toBe(true);
    expect(mayHaveReached(kept(new SefazFault('unexpected_body', 'NFeAutorizacao4', 'garbage')))).toBe(true);
    expect(mayHaveReached(kept(new SefazUnreachable('NFeAutorizacao4')))).toBe(false);
    expect(mayHaveReached(kept(new SefazFault('tls', 'NFeAutorizacao4', 'handshake')))).toBe(false);
    expect(mayHaveReached(kept(new SefazFault('soap_fault', 'NFeAutorizacao4', 'refused')))).toBe(false);
    expect(mayHaveReached(kept(new Error('socket hang up')))).toBe(false);
    expect(mayHaveReached(null)).toBe(false);
  });
});
