import { describe, expect, it, vi } from 'vitest';
import { callSwitcher } from '../src/ui/call-switcher';
import { wireCall } from './wire-call';

describe('callSwitcher', () => {
  it('shows the held call with Swap and Join; Join asks for an attended transfer of the held call', async () => {
    const swap = vi.fn(() => Promise.resolve());
    const join = vi.fn(() => Promise.resolve());
    const switcher = callSwitcher(swap, join);
    switcher.show({ call: wireCall({ id: 'held-1', state: 'answered', answer_time: '2026-11-24T10:00:05.000Z' }), answeredAt: 0 });
    expect(switcher.root.hidden).toBe(false);
    const buttons = [...switcher.root.querySelectorAll('button')].map((b) => b.textContent);
    expect(buttons).toEqual(['Swap', 'Join (transfer)']);
    switcher.root.querySelector<HTMLButtonElement>('button.join')!.click();
    await Promise.resolve();
    expect(join).toHaveBeenCalledWith('held-1');
    expect(swap).not.toHaveBeenCalled();
  });

  it('offers no Join for a call that still rings, and shows why a join failed', async () => {
    const switcher = callSwitcher(() => Promise.resolve(), () => Promise.reject(new Error('Two extension calls cannot be joined.')));
    switcher.show({ call: wireCall({ id: 'ringing-1', state: 'connecting' }), answeredAt: null });
    expect(switcher.root.querySelector('button.join')).toBeNull();
    switcher.show({ call: wireCall({ id: 'held-1', state: 'answered' }), answeredAt: 0 });
    switcher.root.querySelector<HTMLButtonElement>('button.join')!.click();
    await vi.waitFor(() => expect(switcher.root.querySelector('[role=alert]')!.textContent).toBe('Two extension calls cannot be joined.'));
  });
});
