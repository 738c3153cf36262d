import { Body, Controller, Get, Header, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { HelpSessionIdPipe } from '@servicekit/api/help-session';
import { CurrentRep, CustomerOrRepGuard, RepIdentity } from '@servicekit/api/rep-auth';
import type { ChatHistoryResponse, ChatMessage } from '@servicekit/contracts';
import { SendChatMessageDto } from './chat.dto';
import { ChatParty, ChatService } from './chat.service';

const MESSAGE_SCHEMA = {
  type: 'object',
  properties: {
    helpSessionId: { type: 'string' },
    seq: { type: 'integer', example: 1 },
    from: { type: 'string', enum: ['customer', 'rep'] },
    text: { type: 'string' },
    sentAt: { type: 'integer', description: 'Epoch milliseconds.' },
  },
};

/** The chat of a help session: its customer (customer token) and the rep holding its match. */
@ApiTags('chat')
@ApiBearerAuth('customer')
@ApiBearerAuth('rep')
@ApiUnauthorizedResponse({ description: "Neither this help session's customer token nor a rep sign-in." })
@ApiForbiddenResponse({ description: 'A rep who does not hold this help session.' })
@ApiNotFoundResponse({ description: 'No such help session.' })
@ApiConflictResponse({ description: '`help_session_ended`: it ended and its messages are gone; `no_call`: no rep has taken it yet.' })
@Controller('help-sessions/:id/messages')
@UseGuards(CustomerOrRepGuard)
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post()
  @ApiOperation({ summary: 'Send a chat message to the other side (pushed to both as `chat:message`)' })
  @ApiCreatedResponse({ schema: MESSAGE_SCHEMA })
  @ApiBadRequestResponse({ description: 'Empty, or over 1000 characters after trimming.' })
  @ApiTooManyRequestsResponse({ description: 'Too many messages from this sender in a minute, or the conversation is full.' })
  send(
    @Param('id', HelpSessionIdPipe) id: string,
    @Body() body: SendChatMessageDto,
    @CurrentRep() rep: RepIdentity | undefined,
  ): Promise<ChatMessage> {
    return this.chat.send(id, partyOf(rep), body.text);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The help session's messages, oldest first" })
  @ApiQuery({ name: 'after', required: false, description: 'Only messages with a greater `seq` (default 0: all).' })
  @ApiOkResponse({ schema: { type: 'object', properties: { messages: { type: 'array', items: MESSAGE_SCHEMA } } } })
  async history(
    @Param('id', HelpSessionIdPipe) id: string,
    @CurrentRep() rep: RepIdentity | undefined,
    @Query('after') after?: string,
  ): Promise<ChatHistoryResponse> {
    const from = /^\d{1,6}$/.test(after ?? '') ? Number(after) : 0;
    return { messages: await this.chat.history(id, partyOf(rep), from) };
  }
}

function partyOf(rep: RepIdentity | undefined): ChatParty {
  return rep ? { kind: 'rep', repId: rep.repId } : { kind: 'customer' };
}
