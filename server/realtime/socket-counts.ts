import "server-only";

/** The gateway limits these counts enforce. */
export interface SocketLimits {
  maxSocketsPerUser: number;
  maxSocketsPerAddress: number;
  maxAnonymousSocketsPerAddress: number;
}

/** What the counts need of a connection. */
export interface CountedSocket {
  readonly id: number;
  readonly address: string;
  /** The user the socket was first admitted for, or null while it is anonymous. */
  userId: string | null;
}

/**
 * Open sockets by client address and by user, so one address or one user cannot hold
 * thousands: at most `maxSocketsPerAddress` from an address, of which at most
 * `maxAnonymousSocketsPerAddress` carry no user yet, and at most `maxSocketsPerUser` per user
 * on this instance.
 */
export class SocketCounts {
  private readonly byAddress = new Map<string, Set<CountedSocket>>();
  private readonly anonymousByAddress = new Map<string, Set<CountedSocket>>();
  private readonly byUser = new Map<string, Set<CountedSocket>>();

  constructor(private readonly limits: SocketLimits) {}

  /** Why a new socket from `address` is refused, or null when it may open. */
  refusal(address: string, anonymous: boolean): string | null {
    if ((this.byAddress.get(address)?.size ?? 0) >= this.limits.maxSocketsPerAddress) {
      return "Too many connections from this address";
    }
    if (
      anonymous &&
      (this.anonymousByAddress.get(address)?.size ?? 0) >= this.limits.maxAnonymousSocketsPerAddress
    ) {
      return "Too many connections without a user from this address";
    }
    return null;
  }

  add(socket: CountedSocket): void {
    add(this.byAddress, socket.address, socket);
    if (socket.userId === null) add(this.anonymousByAddress, socket.address, socket);
    else add(this.byUser, socket.userId, socket);
  }

  /**
   * Counts an anonymous socket as `userId`'s from its first join as that user; false (and
   * nothing changed) when the user already holds as many sockets as allowed.
   */
  admitUser(socket: CountedSocket, userId: string): boolean {
    if (socket.userId !== null) return true;
    if ((this.byUser.get(userId)?.size ?? 0) >= this.limits.maxSocketsPerUser) return false;
    remove(this.anonymousByAddress, socket.address, socket);
    socket.userId = userId;
    add(this.byUser, userId, socket);
    return true;
  }

  remove(socket: CountedSocket): void {
    remove(this.byAddress, socket.address, socket);
    remove(this.anonymousByAddress, socket.address, socket);
    if (socket.userId !== null) remove(this.byUser, socket.userId, socket);
  }
}

function add(map: Map<string, Set<CountedSocket>>, key: string, socket: CountedSocket): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(socket);
}

function remove(map: Map<string, Set<CountedSocket>>, key: string, socket: CountedSocket): void {
  const set = map.get(key);
  if (!set?.delete(socket)) return;
  if (set.size === 0) map.delete(key);
}
